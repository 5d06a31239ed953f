package io.metadataops.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.k8s.DeploymentRollout;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The steps both providers take to make a namespace ready for the scenarios. */
public final class E2eSetup {

  private E2eSetup() {}

  public static ClusterNamespace createNamespace(KubernetesClient client, String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return new ClusterNamespace(client, name);
  }

  /**
   * The database Secret, a MySQL 8 and a PostgreSQL server and the backup claim; returns once both
   * servers are available. {@code provisioner}: whether the cluster provisions volumes itself.
   */
  public static void prepareNamespace(
      ClusterNamespace namespace, boolean provisioner, Duration timeout) {
    apply(namespace, List.of(E2eManifests.databaseSecret()));
    for (DatabaseKind kind : DatabaseKind.values()) {
      apply(namespace, E2eManifests.databaseServer(kind));
    }
    apply(namespace, E2eManifests.backupClaim(namespace.name(), provisioner));
    for (DatabaseKind kind : DatabaseKind.values()) {
      awaitRolledOut(namespace, kind.scheme(), timeout);
    }
  }

  /**
   * Creates or updates {@code objects} (server-side apply); namespaced ones in {@code namespace}.
   */
  public static void apply(ClusterNamespace namespace, List<HasMetadata> objects) {
    KubernetesClient client = namespace.client();
    for (HasMetadata object : objects) {
      if (object instanceof Namespaced) {
        client
            .resource(object)
            .inNamespace(namespace.name())
            .fieldManager("metadataops-e2e")
            .forceConflicts()
            .serverSideApply();
      } else {
        client.resource(object).fieldManager("metadataops-e2e").forceConflicts().serverSideApply();
      }
    }
  }

  /** Waits until every replica of Deployment {@code name} is updated and available. */
  public static Deployment awaitRolledOut(
      ClusterNamespace namespace, String name, Duration timeout) {
    return await("Deployment " + name + " rolled out")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                namespace
                    .client()
                    .apps()
                    .deployments()
                    .inNamespace(namespace.name())
                    .withName(name)
                    .get(),
            d -> d != null && DeploymentRollout.of(d) == RolloutState.COMPLETE);
  }

  /** Removes the namespace (finalizers first: the operator may be gone) and the backup volume. */
  public static void deleteNamespace(ClusterNamespace namespace) {
    if (Boolean.getBoolean("metadataops.keepNamespaces")) {
      return;
    }
    namespace.releaseFinalizers();
    namespace.client().namespaces().withName(namespace.name()).delete();
    namespace
        .client()
        .persistentVolumes()
        .withName(E2eManifests.backupVolumeName(namespace.name()))
        .delete();
  }
}
