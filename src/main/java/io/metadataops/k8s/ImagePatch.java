package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.metadataops.upgrade.ImageReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A strategic-merge patch that sets the image of named containers and init containers of a
 * Deployment (and, in one rollout, its replicas).
 */
public record ImagePatch(
    List<String> containers, List<String> initContainers, String image, Integer replicas) {

  public ImagePatch {
    containers = List.copyOf(containers);
    initContainers = List.copyOf(initContainers);
    Objects.requireNonNull(image, "image");
  }

  public static ImagePatch of(String container, String image) {
    return new ImagePatch(List.of(container), List.of(), image, null);
  }

  /**
   * {@code image} for the server container and for every container and init container of the pod
   * that runs the same repository as it does now: the official chart's migration init container
   * runs the server image, and would otherwise run the previous release's migration in every new
   * pod; the server image gate admits a pod only when all of them run the allowed image.
   */
  public static ImagePatch server(Deployment deployment, Container server, String image) {
    String repository = ImageReference.parse(server.getImage()).name();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    return new ImagePatch(
        sameRepository(pod.getContainers(), repository, server.getName()),
        sameRepository(pod.getInitContainers(), repository, null),
        image,
        null);
  }

  public ImagePatch withReplicas(int count) {
    return new ImagePatch(containers, initContainers, image, count);
  }

  public String json() {
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("containers", entries(containers));
    if (!initContainers.isEmpty()) {
      pod.put("initContainers", entries(initContainers));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    if (replicas != null) {
      spec.put("replicas", replicas);
    }
    spec.put("template", Map.of("spec", pod));
    return Serialization.asJson(Map.of("spec", spec));
  }

  private List<Map<String, String>> entries(List<String> names) {
    return names.stream().map(name -> Map.of("name", name, "image", image)).toList();
  }

  private static List<String> sameRepository(
      List<Container> containers, String repository, String always) {
    return containers.stream()
        .filter(
            c ->
                c.getName().equals(always)
                    || (c.getImage() != null && repository.equals(repositoryOf(c.getImage()))))
        .map(Container::getName)
        .toList();
  }

  private static String repositoryOf(String image) {
    try {
      return ImageReference.parse(image).name();
    } catch (IllegalArgumentException e) {
      return image;
    }
  }
}
