package io.metadataops.controller.jobs;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.api.shared.ServerReference;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.controller.Problem;
import io.metadataops.k8s.ServerContainers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Checks what the CRD schema cannot: that referenced objects exist. Secrets are deliberately not
 * checked: the operator has no access to Secret data, and a missing Secret surfaces as a Job pod
 * that cannot start.
 */
@ApplicationScoped
public class ReferenceChecks {

  private final KubernetesClient client;

  public ReferenceChecks(KubernetesClient client) {
    this.client = client;
  }

  public Optional<Problem> checkSource(DatabaseSource source, String namespace, String field) {
    if (source.server == null) {
      return Optional.empty();
    }
    return checkServer(source.server, namespace, field + ".server");
  }

  public Optional<Problem> checkServer(ServerReference server, String namespace, String field) {
    Deployment deployment = findDeployment(namespace, server.deploymentName);
    if (deployment == null) {
      return Optional.of(serverNotFound(namespace, server.deploymentName, field));
    }
    if (ServerContainers.find(deployment, server.containerName).isEmpty()) {
      List<String> names =
          deployment.getSpec().getTemplate().getSpec().getContainers().stream()
              .map(Container::getName)
              .toList();
      return Optional.of(
          new Problem(
              "ContainerNotFound",
              "Deployment %s/%s has no container %s (it has %s): fix %s.containerName"
                  .formatted(
                      namespace, server.deploymentName, server.containerName, names, field)));
    }
    return Optional.empty();
  }

  /** The problem of a missing server Deployment named in {@code field}. */
  public static Problem serverNotFound(String namespace, String name, String field) {
    return new Problem(
        "ServerNotFound",
        "Deployment %s/%s not found: fix %s.deploymentName or create the Deployment"
            .formatted(namespace, name, field));
  }

  public Optional<Problem> checkStorage(StorageSpec storage, String namespace, String field) {
    if (storage.persistentVolumeClaim == null) {
      return Optional.empty();
    }
    String claim = storage.persistentVolumeClaim.claimName;
    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
    if (pvc == null) {
      return Optional.of(
          new Problem(
              "StorageNotFound",
              "PersistentVolumeClaim %s/%s not found: fix %s.persistentVolumeClaim.claimName or"
                      .formatted(namespace, claim, field)
                  + " create the claim"));
    }
    return Optional.empty();
  }

  public Deployment findDeployment(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }
}
