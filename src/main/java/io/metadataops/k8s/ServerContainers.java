package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the OpenMetadata server container in its Deployment. */
public final class ServerContainers {

  /** The container name used by the official Helm chart. */
  public static final String DEFAULT_NAME = "openmetadata";

  /**
   * The official chart's init container that migrates the database in every server pod, on every
   * start, with no lock.
   */
  public static final String MIGRATION_INIT_CONTAINER = "run-db-migrations";

  /** Makes the migration re-run every migration and swallow their errors. */
  public static final String FORCE = "--force";

  private ServerContainers() {}

  /** The chart's migration init container of the server pod, when it has one. */
  public static Optional<Container> migrationInitContainer(Deployment deployment) {
    List<Container> init = deployment.getSpec().getTemplate().getSpec().getInitContainers();
    return init == null
        ? Optional.empty()
        : init.stream().filter(c -> MIGRATION_INIT_CONTAINER.equals(c.getName())).findFirst();
  }

  /**
   * Whether every new server pod re-runs every migration ({@code --force} in its init container).
   */
  public static boolean migratesWithForce(Deployment deployment) {
    return migrationInitContainer(deployment)
        .map(c -> words(c).stream().anyMatch(FORCE::equals))
        .orElse(false);
  }

  /** The words of a container's command and arguments, shell strings split on blanks. */
  static List<String> words(Container container) {
    return Stream.concat(
            Optional.ofNullable(container.getCommand()).orElse(List.of()).stream(),
            Optional.ofNullable(container.getArgs()).orElse(List.of()).stream())
        .flatMap(part -> Arrays.stream(part.trim().split("\\s+")))
        .toList();
  }

  /** The named container; without a name, the one named {@value #DEFAULT_NAME}, else the first. */
  public static Optional<Container> find(Deployment deployment, String name) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    if (name != null) {
      return containers.stream().filter(c -> name.equals(c.getName())).findFirst();
    }
    return containers.stream()
        .filter(c -> DEFAULT_NAME.equals(c.getName()))
        .findFirst()
        .or(() -> containers.stream().findFirst());
  }
}
