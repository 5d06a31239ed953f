package io.metadataops.upgrade;

import java.util.Objects;

/**
 * The OpenMetadata server Deployment as observed.
 *
 * @param image the server container's image
 * @param replicas {@code spec.replicas}
 * @param pods server pods that still exist, terminating ones included: the database is only quiet
 *     when this is zero. Counted pod by pod once {@code replicas} is zero; before that, the
 *     Deployment's own count ({@code status.replicas}) is enough
 * @param rollout the rollout of the current pod template
 * @param migratesWithForce every server pod runs {@code migrate --force} on start (the official
 *     chart's init container with {@code --force} in its additional arguments)
 * @param manager who applies the Deployment besides the operator
 * @param gateRefusesPods the Deployment reports that the server image gate refuses its new pods
 *     (condition ReplicaFailure): pods it asks for do not start, whatever scales it up
 */
public record ServerDeployment(
    String image,
    int replicas,
    int pods,
    RolloutState rollout,
    boolean migratesWithForce,
    Manager manager,
    boolean gateRefusesPods) {

  public ServerDeployment(String image, int replicas, int pods, RolloutState rollout) {
    this(image, replicas, pods, rollout, false, new Manager.None(), false);
  }

  /**
   * Rollout state. The controller must report {@code PROGRESSING} until {@code
   * status.observedGeneration} reaches {@code metadata.generation}: right after an image change the
   * status still describes the old template.
   */
  public enum RolloutState {
    PROGRESSING,
    COMPLETE,
    /** The Progressing condition is False with reason ProgressDeadlineExceeded. */
    FAILED
  }

  public ServerDeployment {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(manager, "manager");
  }
}
