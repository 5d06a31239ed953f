package io.metadataops.k8s;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strategic-merge patch that sets a Deployment's container image (and, in one rollout, its
 * replicas). The official chart's migration init container runs the server image too: it moves with
 * the server, or every new pod would run the previous release's migration on the database.
 */
public record ImagePatch(
    String container, String image, boolean migrationInitContainer, Integer replicas) {

  public static ImagePatch of(String container, String image) {
    return new ImagePatch(container, image, false, null);
  }

  public ImagePatch withMigrationInitContainer(boolean present) {
    return new ImagePatch(container, image, present, replicas);
  }

  public ImagePatch withReplicas(int count) {
    return new ImagePatch(container, image, migrationInitContainer, count);
  }

  public String json() {
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("containers", List.of(Map.of("name", container, "image", image)));
    if (migrationInitContainer) {
      pod.put(
          "initContainers",
          List.of(Map.of("name", ServerContainers.MIGRATION_INIT_CONTAINER, "image", image)));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    if (replicas != null) {
      spec.put("replicas", replicas);
    }
    spec.put("template", Map.of("spec", pod));
    return Serialization.asJson(Map.of("spec", spec));
  }
}
