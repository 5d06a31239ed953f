package io.metadataops.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataUpgrade;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A namespace of the test cluster, owned by one test class. */
public record ClusterNamespace(KubernetesClient client, String name) {

  /**
   * Drops the operator's finalizers in this namespace: the test's operator is stopped by now, so
   * nobody would remove them and the namespace would never finish terminating.
   */
  public void releaseFinalizers() {
    Stream.of(MetadataBackup.class, MetadataRestore.class, MetadataUpgrade.class)
        .flatMap(type -> client.resources(type).inNamespace(name).list().getItems().stream())
        .filter(object -> !object.getMetadata().getFinalizers().isEmpty())
        .forEach(
            object ->
                client
                    .resource(object)
                    .inNamespace(name)
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"finalizers\":null}}"));
  }

  /** Everything a person needs to see why a cluster test failed. */
  public String dump() {
    StringBuilder out = new StringBuilder("\n===== namespace ").append(name).append(" =====\n");
    Stream.of(
            client.resources(MetadataBackup.class).inNamespace(name).list().getItems(),
            client.resources(MetadataRestore.class).inNamespace(name).list().getItems(),
            client.resources(MetadataUpgrade.class).inNamespace(name).list().getItems(),
            client.batch().v1().jobs().inNamespace(name).list().getItems(),
            client.apps().deployments().inNamespace(name).list().getItems(),
            client.pods().inNamespace(name).list().getItems())
        .flatMap(List::stream)
        .forEach(
            object ->
                out.append("--- ")
                    .append(object.getKind())
                    .append(' ')
                    .append(object.getMetadata().getName())
                    .append('\n')
                    .append(Serialization.asYaml(withoutManagedFields(object))));
    out.append("--- events\n");
    client.v1().events().inNamespace(name).list().getItems().stream()
        .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
        .map(ClusterNamespace::describe)
        .forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }

  private static HasMetadata withoutManagedFields(HasMetadata object) {
    object.getMetadata().setManagedFields(null);
    return object;
  }

  private static String describe(Event event) {
    return "%s %s %s/%s: %s"
        .formatted(
            event.getType(),
            event.getReason(),
            event.getInvolvedObject().getKind(),
            event.getInvolvedObject().getName(),
            event.getMessage());
  }
}
