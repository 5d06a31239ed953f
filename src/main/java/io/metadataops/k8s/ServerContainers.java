package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Optional;

/** Finds the OpenMetadata server container in its Deployment. */
public final class ServerContainers {

  /** The container name used by the official Helm chart. */
  public static final String DEFAULT_NAME = "openmetadata";

  private ServerContainers() {}

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
