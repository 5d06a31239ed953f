package io.metadataops.controller;

import static io.metadataops.testing.OpenMetadataFixture.CLAIM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.UpgradeBackup;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.ServerReference;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.operator.OperatorLeaderElection;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.ClusterTest;
import io.metadataops.testing.LocalCluster;
import io.metadataops.testing.OpenMetadataFixture;
import io.metadataops.testing.Simulation;
import io.metadataops.testing.VersionEndpointStandIn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * High availability as deployed: two replicas of the packaged operator (leader election on, as in
 * deploy/operator); the leader is killed in the middle of an upgrade and the other replica takes
 * the Lease and completes it; a leader stopped with SIGTERM exits.
 */
@ClusterTest
class LeaderFailoverIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final ClusterNamespace namespace;
  private final KubernetesClient client;
  private final Map<String, Process> replicas = new java.util.HashMap<>();

  LeaderFailoverIT(ClusterNamespace namespace) {
    this.namespace = namespace;
    this.client = namespace.client();
  }

  @AfterEach
  void stopReplicas() {
    replicas.values().forEach(Process::destroyForcibly);
  }

  @Test
  void theOtherReplicaCompletesTheUpgradeWhenTheLeaderDies() throws Exception {
    OpenMetadataFixture.install(namespace, "1.5.2", 1);
    try (VersionEndpointStandIn versions = VersionEndpointStandIn.start(namespace)) {
      start("replica-a");
      start("replica-b");
      String leader = await().atMost(TIMEOUT).until(this::leaseHolder, replicas::containsKey);

      client.resource(upgrade(versions)).inNamespace(namespace.name()).create();
      await()
          .atMost(TIMEOUT)
          .until(() -> "BackingUp".equals(phase()) || "ScalingDown".equals(phase()));
      replicas.get(leader).destroyForcibly().waitFor();

      await().atMost(TIMEOUT).until(() -> "Succeeded".equals(phase()));
      String survivor = leader.equals("replica-a") ? "replica-b" : "replica-a";
      assertThat(leaseHolder()).isEqualTo(survivor);
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace(namespace.name())
                  .withName(OpenMetadataFixture.SERVER)
                  .get()
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getImage())
          .endsWith(":1.6.3");
      // The survivor resumed from the persisted steps: nothing ran twice, no second attempt.
      assertThat(
              client.batch().v1().jobs().inNamespace(namespace.name()).list().getItems().stream()
                  .map(job -> job.getMetadata().getName()))
          .containsExactlyInAnyOrder(
              "failover-inspect-1",
              "failover-preflight-1-backup",
              "failover-preflight-1-verify",
              "failover-backup-1-backup",
              "failover-migrate-1",
              "failover-check-1");
      assertThat(
              client
                  .resources(MetadataBackup.class)
                  .inNamespace(namespace.name())
                  .list()
                  .getItems()
                  .stream()
                  .map(backup -> backup.getMetadata().getName()))
          .containsExactlyInAnyOrder("failover-preflight-1", "failover-backup-1");
    }
  }

  /** A pod being stopped gets SIGTERM: the leader must shut down, not wait to be killed. */
  @Test
  void theLeaderExitsPromptlyOnSigterm() throws Exception {
    start("replica-a");
    await().atMost(TIMEOUT).until(() -> "replica-a".equals(leaseHolder()));

    Process leader = replicas.get("replica-a");
    leader.destroy();

    assertThat(leader.waitFor(30, TimeUnit.SECONDS))
        .as("the operator exits within 30 s of SIGTERM (see target/failover-replica-a.log)")
        .isTrue();
  }

  private void start(String podName) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar")
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target", "failover-" + podName + ".log").toFile());
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", LocalCluster.kubeconfigPath());
    env.put("POD_NAME", podName);
    env.put("OPERATOR_NAMESPACE", namespace.name());
    env.put("WATCH_NAMESPACES", namespace.name());
    env.put("QUARKUS_HTTP_PORT", "0");
    replicas.put(podName, builder.start());
  }

  private String leaseHolder() {
    Lease lease =
        client.leases().inNamespace(namespace.name()).withName(OperatorLeaderElection.LEASE).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private String phase() {
    MetadataUpgrade upgrade =
        client
            .resources(MetadataUpgrade.class)
            .inNamespace(namespace.name())
            .withName("failover")
            .get();
    return upgrade == null || upgrade.getStatus() == null || upgrade.getStatus().phase == null
        ? null
        : upgrade.getStatus().phase.name();
  }

  private static MetadataUpgrade upgrade(VersionEndpointStandIn versions) {
    MetadataUpgrade upgrade = new MetadataUpgrade();
    upgrade.getMetadata().setName("failover");
    MetadataUpgradeSpec spec = new MetadataUpgradeSpec();
    spec.server = new ServerReference(OpenMetadataFixture.SERVER);
    spec.targetVersion = "1.6.3";
    spec.approvedChanges =
        List.of("1.6/auto-classification", "1.6/lineage-option-moved", "1.6/edit-tags-split");
    spec.backup = new UpgradeBackup();
    spec.backup.storage = new StorageSpec();
    spec.backup.storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
    spec.backup.storage.persistentVolumeClaim.claimName = CLAIM;
    spec.backup.job.podAnnotations =
        Simulation.inspections(
            "{\"status\":\"Succeeded\",\"location\":\"/backups/f.sql.gz\",\"schemaVersion\":\"1.5.2\"}",
            Simulation.inspected(spec.targetVersion));
    spec.migration.timeoutSeconds = 120;
    spec.rollout.timeoutSeconds = 60;
    spec.verification.timeoutSeconds = 60;
    spec.verification.url = versions.url(OpenMetadataFixture.SERVER);
    upgrade.setSpec(spec);
    return upgrade;
  }
}
