package io.metadataops.e2e;

import static io.metadataops.e2e.E2eImages.FROM;
import static io.metadataops.e2e.E2eImages.TO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradePhase;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import io.metadataops.upgrade.UpgradePlanner;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end scenarios with every pod real (see {@link RealNodeProvider}): the operator, the
 * databases, the stand-in servers and every Job run on the local control plane's real node, on
 * containerd and runc, from images built from this checkout. After each test, every pod the
 * scenarios' namespace has had (deleted ones included) must have run there.
 */
@Tag("node")
class RealNodeEndToEndIT extends EndToEndScenarios {

  @Override
  protected E2eCluster startCluster() throws Exception {
    return RealNodeProvider.start();
  }

  private RealNodeProvider node() {
    return (RealNodeProvider) cluster();
  }

  /** No pod of a scenario was simulated: each ran on the real node, in containerd. */
  @AfterEach
  void everyPodRanOnTheRealNode() {
    Collection<Pod> pods = node().pods();
    assertThat(pods).as("pods of the scenarios' namespace").isNotEmpty();
    long ran = 0;
    for (Pod pod : pods) {
      String what = "pod " + pod.getMetadata().getName();
      assertThat(pod.getSpec().getNodeName()).as(what + " node").isEqualTo(node().nodeName());
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (phase == null || "Pending".equals(phase)) {
        continue; // deleted before it started (a scale-down, a rollout)
      }
      List<ContainerStatus> containers = pod.getStatus().getContainerStatuses();
      assertThat(containers).as(what + " containers").isNotEmpty();
      for (ContainerStatus container : containers) {
        assertThat(container.getContainerID())
            .as(what + " container " + container.getName())
            .startsWith("containerd://");
        assertThat(container.getImageID()).as(what + " image").isNotBlank();
      }
      ran++;
    }
    assertThat(ran).as("pods that ran").isPositive();
    node().scaleDownServers();
  }

  @Test
  void theOperatorRunsAsAPodOfItsImageOnTheRealNode() {
    assertThat(node().operatorPods())
        .singleElement()
        .satisfies(
            pod -> {
              assertThat(pod.getSpec().getNodeName()).isEqualTo(node().nodeName());
              assertThat(pod.getSpec().getContainers().get(0).getImage())
                  .isEqualTo(E2eImages.OPERATOR);
              ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
              assertThat(status.getContainerID()).startsWith("containerd://");
              assertThat(status.getReady()).isTrue();
              assertThat(status.getRestartCount()).isZero();
              assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(185L);
            });
  }

  @Test
  void theBackupPodsLogShowsTheEngineProgress() throws SQLException {
    OpenMetadataInstance om = install(DatabaseKind.POSTGRESQL, "logs", FROM);
    String name = om.name();
    create(backup(name, om));
    MetadataBackup done = awaitBackup(name, BackupPhase.Succeeded);

    var namespace = cluster().namespace();
    Pod pod =
        namespace
            .client()
            .pods()
            .inNamespace(namespace.name())
            .withLabel("job-name", done.getStatus().jobName)
            .list()
            .getItems()
            .stream()
            .findFirst()
            .orElseThrow(() -> new AssertionError("no pod of Job " + done.getStatus().jobName));
    // What `kubectl logs` prints: the API server reads it from the kubelet.
    String log =
        namespace
            .client()
            .pods()
            .inNamespace(namespace.name())
            .withName(pod.getMetadata().getName())
            .getLog();
    assertThat(log)
        .contains("backing up 3 tables of ")
        .contains("backup complete: 3 tables, " + done.getStatus().rows + " rows")
        .contains(done.getStatus().sha256);
    assertThat(pod.getStatus().getContainerStatuses().get(0).getContainerID())
        .startsWith("containerd://");
  }

  /**
   * Upstream's migrate has exited 0 with a step's error logged and ignored: the change log, read by
   * the operator's inspection after the Job, shows the row left STARTED, and the upgrade rolls
   * back.
   */
  @Test
  void aMigrationThatExits0ButLeavesAStartedChangeLogRowIsRolledBack() throws SQLException {
    OpenMetadataInstance om = install(DatabaseKind.MYSQL, "unfinished", E2eImages.FROM_2X);
    String name = om.name();
    Map<String, String> before = om.fingerprint();
    assertThat(om.changeLog()).last().isEqualTo(E2eImages.FROM_2X + " COMPLETED");
    MetadataUpgrade upgrade = upgrade(name, E2eImages.UNFINISHED);
    // The node's MySQL 8.0.31 is older than the 8.0.42 that 2.0's requirements list.
    upgrade.getSpec().approvedChanges =
        Stream.concat(upgrade.getSpec().approvedChanges.stream(), Stream.of("2.0/mysql-version"))
            .toList();
    create(upgrade);

    MetadataUpgrade done = awaitUpgrade(name, MetadataUpgradePhase.RolledBack);
    var status = done.getStatus();
    assertThat(status.firstFailure.reason).isEqualTo("MigrationIncomplete");
    assertThat(status.firstFailure.step).isEqualTo("Migrating");
    assertThat(status.firstFailure.message)
        .contains("exited 0 but the change log has migrations that did not complete")
        .contains(E2eImages.UNFINISHED + " STARTED");
    Job migration = job(name + "-migrate-1");
    assertThat(jobCondition(migration, "Complete")).as("the migration Job exited 0").isTrue();
    Job check = job(name + "-check-1");
    assertThat(jobCondition(check, "Complete")).isTrue();
    assertThat(check.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .startsWith("inspect");
    assertThat(events(name)).contains("MigrationIncomplete", "RolledBack");

    assertThat(om.image()).isEqualTo(E2eImages.server(E2eImages.FROM_2X));
    assertThat(om.fingerprint()).as("the data before the upgrade").isEqualTo(before);
    assertThat(om.changeLog()).noneMatch(row -> row.startsWith(E2eImages.UNFINISHED));
    assertThat(om.rowsMigratedTo(E2eImages.UNFINISHED)).isZero();
    awaitReportedVersion(name, E2eImages.FROM_2X);
  }

  /**
   * An installation of the official chart's shape: the migration Job runs the init container's
   * command without {@code --force}, completes although the pod has a sidecar, and the upgrade
   * waits for the {@code --force} item to be approved.
   */
  @Test
  void aChartShapedInstallationUpgradesWithTheInitContainersCommandWithoutForce()
      throws SQLException {
    OpenMetadataInstance om =
        install(DatabaseKind.POSTGRESQL, "chart", FROM, 1, E2eManifests::chartShapedServer);
    String name = om.name();
    Deployment before = om.deployment();
    assertThat(before.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName)
        .containsExactly("DB_USER_PASSWORD");
    MetadataUpgrade upgrade = upgrade(name, TO);
    create(upgrade);

    String force = "1.6/" + UpgradePlanner.FORCED_MIGRATIONS;
    MetadataUpgrade waiting = awaitPhase(name, MetadataUpgradePhase.AwaitingApproval);
    assertThat(waiting.getStatus().pendingApprovals).containsExactly(force);
    assertThat(waiting.getStatus().message).contains("--force").contains("additionalArgs");
    assertThat(job(name + "-migrate-1")).as("no migration before the approval").isNull();
    client()
        .resources(MetadataUpgrade.class)
        .inNamespace(namespace())
        .withName(name)
        .edit(
            u -> {
              u.getSpec().approvedChanges =
                  Stream.concat(u.getSpec().approvedChanges.stream(), Stream.of(force)).toList();
              return u;
            });

    MetadataUpgrade done = awaitUpgrade(name, MetadataUpgradePhase.Succeeded);
    assertThat(done.getStatus().breakingChanges)
        .extracting(c -> c.id + "=" + c.approved)
        .contains(force + "=true");
    Job migration = job(name + "-migrate-1");
    assertThat(jobCondition(migration, "Complete"))
        .as("the migration Job completed despite the sidecar")
        .isTrue();
    PodSpec pod = migration.getSpec().getTemplate().getSpec();
    Container migrate = pod.getContainers().get(0);
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(migrate.getImage()).isEqualTo(E2eImages.server(TO));
    assertThat(migrate.getCommand())
        .containsExactly("/bin/bash", "-c", E2eManifests.CHART_MIGRATION_COMMAND);
    assertThat(migrate.getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo(name + "-db-secret"));
    assertThat(pod.getInitContainers())
        .singleElement()
        .satisfies(
            sidecar -> {
              assertThat(sidecar.getName()).isEqualTo(E2eManifests.CHART_SIDECAR);
              assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
            });
    assertThat(job(name + "-check-1")).isNotNull();

    // The server runs the target, its init container too, on a database migrated to it.
    Deployment after = om.deployment();
    assertThat(after.getSpec().getTemplate().getSpec().getInitContainers().get(0).getImage())
        .isEqualTo(E2eImages.server(TO));
    assertThat(om.image()).isEqualTo(E2eImages.server(TO));
    awaitReportedVersion(name, TO);
    assertThat(om.schemaVersion()).isEqualTo(TO);
    assertThat(om.rowsMigratedTo(TO)).isEqualTo(StandInOpenMetadata.ENTITIES);
  }

  private MetadataUpgrade awaitPhase(String name, MetadataUpgradePhase phase) {
    return await("upgrade " + name + " in " + phase)
        .atMost(cluster().timeout().multipliedBy(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                client()
                    .resources(MetadataUpgrade.class)
                    .inNamespace(namespace())
                    .withName(name)
                    .get(),
            u -> u.getStatus() != null && u.getStatus().phase == phase);
  }

  private KubernetesClient client() {
    return cluster().namespace().client();
  }

  private String namespace() {
    return cluster().namespace().name();
  }
}
