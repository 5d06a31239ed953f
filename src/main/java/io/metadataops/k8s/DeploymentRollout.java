package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** Reads the rollout state of a Deployment the way {@code kubectl rollout status} does. */
public final class DeploymentRollout {

  static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

  private DeploymentRollout() {}

  /**
   * Progressing until the status describes the current template (observedGeneration) and every
   * replica is updated and available; failed once the progress deadline is exceeded.
   */
  public static RolloutState of(Deployment deployment) {
    DeploymentStatus status = deployment.getStatus();
    Long generation = deployment.getMetadata().getGeneration();
    if (status == null
        || status.getObservedGeneration() == null
        || (generation != null && status.getObservedGeneration() < generation)) {
      return RolloutState.PROGRESSING;
    }
    boolean deadlineExceeded =
        hasCondition(
            deployment,
            c ->
                "Progressing".equals(c.getType())
                    && "False".equals(c.getStatus())
                    && PROGRESS_DEADLINE_EXCEEDED.equals(c.getReason()));
    if (deadlineExceeded) {
      return RolloutState.FAILED;
    }
    int replicas = replicas(deployment);
    boolean complete =
        orZero(status.getUpdatedReplicas()) == replicas
            && orZero(status.getAvailableReplicas()) == replicas;
    return complete ? RolloutState.COMPLETE : RolloutState.PROGRESSING;
  }

  /**
   * True when the Deployment reports that the server image gate refuses its new pods: its
   * ReplicaSet could not create one (condition ReplicaFailure, the admission policy's message).
   */
  public static boolean gateRefusesPods(Deployment deployment) {
    return hasCondition(
        deployment,
        c ->
            "ReplicaFailure".equals(c.getType())
                && "True".equals(c.getStatus())
                && c.getMessage() != null
                && c.getMessage().contains(ServerGateConfigMap.REFUSAL));
  }

  private static boolean hasCondition(Deployment deployment, Predicate<DeploymentCondition> test) {
    DeploymentStatus status = deployment.getStatus();
    return status != null
        && Objects.requireNonNullElse(status.getConditions(), List.<DeploymentCondition>of())
            .stream()
            .anyMatch(test);
  }

  /** {@code spec.replicas}, 1 when unset as Kubernetes defaults it. */
  public static int replicas(Deployment deployment) {
    Integer replicas = deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
