package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a Job that talks to the database takes from the server's pod, so it reaches the database the
 * way the server does: the pod's other containers (a Cloud SQL proxy behind {@code DB_HOST
 * 127.0.0.1}, a Vault agent) as native sidecars, which run beside the Job's container and stop when
 * it ends, so the Job still completes; the volumes those sidecars mount; the pull secrets of their
 * images; and where the pod may run (a database reachable from some nodes only).
 */
public record ServerPod(
    List<Container> sidecars,
    List<Volume> sidecarVolumes,
    List<LocalObjectReference> imagePullSecrets,
    Affinity affinity,
    List<Toleration> tolerations,
    Map<String, String> nodeSelector) {

  /** A database given explicitly: nothing to take from a server pod. */
  public static final ServerPod NONE = new ServerPod(List.of(), List.of(), null, null, null, null);

  public static ServerPod of(Deployment deployment, Container server) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    List<Container> sidecars =
        pod.getContainers().stream()
            .filter(c -> !c.getName().equals(server.getName()))
            .map(c -> new ContainerBuilder(c).withRestartPolicy("Always").build())
            .toList();
    Set<String> mounted =
        sidecars.stream()
            .flatMap(c -> Optional.ofNullable(c.getVolumeMounts()).orElse(List.of()).stream())
            .map(VolumeMount::getName)
            .collect(Collectors.toSet());
    List<Volume> volumes =
        Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
            .filter(v -> mounted.contains(v.getName()))
            .toList();
    return new ServerPod(
        sidecars,
        volumes,
        sidecars.isEmpty() ? null : pod.getImagePullSecrets(),
        pod.getAffinity(),
        pod.getTolerations(),
        pod.getNodeSelector());
  }

  /** The pull secrets of the Job's own image and of the sidecars'. */
  List<LocalObjectReference> pullSecretsWith(List<LocalObjectReference> own) {
    if (imagePullSecrets == null || imagePullSecrets.isEmpty()) {
      return own;
    }
    return java.util.stream.Stream.concat(
            Optional.ofNullable(own).orElse(List.of()).stream(), imagePullSecrets.stream())
        .filter(Objects::nonNull)
        .distinct()
        .toList();
  }
}
