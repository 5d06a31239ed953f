package io.metadataops.e2e;

import static io.metadataops.e2e.E2eImages.BROKEN;
import static io.metadataops.e2e.E2eImages.FROM;
import static io.metadataops.e2e.E2eImages.TO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.DeletionPolicy;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSpec;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataRestoreSpec;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradePhase;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The end-to-end scenarios, written once and run on every {@link E2eCluster} provider: a backup
 * that records its result, a restore that puts the backed-up data back, an upgrade verified through
 * the version endpoint, and a failed migration rolled back to the old image and the old data. Each
 * runs on MySQL 8 and on PostgreSQL, on its own database and server Deployment; every check of the
 * data reads the database itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EndToEndScenarios {

  /** Tables of the stand-in schema. */
  private static final int TABLES = 3;

  /** Rows after a first install: entities, relationships to the first one, one change log row. */
  private static final int ROWS =
      StandInOpenMetadata.ENTITIES + (StandInOpenMetadata.ENTITIES - 1) + 1;

  private static final int REPLICAS = 2;

  private E2eCluster cluster;
  private KubernetesClient client;
  private String ns;
  private final List<OpenMetadataInstance> instances = new ArrayList<>();

  @RegisterExtension
  final TestWatcher dumpOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (cluster != null) {
            System.err.println("[" + cluster.name() + "] " + cluster.namespace().dump());
          }
        }
      };

  /** Starts the provider: a namespace with the databases, the operator watching it. */
  protected abstract E2eCluster startCluster() throws Exception;

  protected E2eCluster cluster() {
    return cluster;
  }

  @BeforeAll
  void startTheCluster() throws Exception {
    cluster = startCluster();
    client = cluster.namespace().client();
    ns = cluster.namespace().name();
  }

  @AfterAll
  void stopTheCluster() throws SQLException {
    if (cluster == null) {
      return;
    }
    try {
      for (OpenMetadataInstance instance : instances) {
        instance.drop();
      }
    } finally {
      cluster.close();
    }
  }

  // ---- the scenarios ------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void backupRunsTheEngineAndRecordsTheResult(DatabaseKind kind) throws SQLException {
    OpenMetadataInstance om = install(kind, "backup", FROM);
    Map<String, String> data = om.fingerprint();
    String name = om.name();

    MetadataBackup created = create(backup(name, om));
    MetadataBackup done = awaitBackup(name, BackupPhase.Succeeded);

    var status = done.getStatus();
    assertThat(status.location).matches("/backups/e2e/" + name + "-\\d{8}T\\d{6}Z\\.sql\\.gz");
    assertThat(status.manifestLocation).isEqualTo(status.location + ".manifest.json");
    assertThat(status.sha256).matches("[0-9a-f]{64}");
    assertThat(status.sizeBytes).isPositive();
    assertThat(status.size).isNotBlank();
    assertThat(status.tables).isEqualTo(TABLES);
    assertThat(status.rows).isEqualTo(ROWS);
    assertThat(status.schemaVersion).isEqualTo(FROM);
    assertThat(status.serverVersion).startsWith(kind == DatabaseKind.MYSQL ? "8." : "15");
    assertThat(status.database).isEqualTo(om.databaseUrl());
    assertThat(status.jobName).isEqualTo(name + "-backup");
    assertThat(status.completionTime).isNotNull();
    assertThat(status.observedGeneration).isEqualTo(done.getMetadata().getGeneration());
    assertThat(condition(status.conditions, "Succeeded").getStatus()).isEqualTo("True");
    assertThat(condition(status.conditions, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(status.conditions, "Ready").getReason()).isEqualTo("BackupSucceeded");
    assertThat(events(name)).contains("JobCreated", "BackupSucceeded");

    Job job = job(name + "-backup");
    assertOwnedBy(job, created);
    assertThat(jobCondition(job, "Complete")).isTrue();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(E2eImages.OPERATOR);
    assertThat(om.fingerprint()).as("a backup changes nothing").isEqualTo(data);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void restorePutsTheBackedUpDataBackAndTheServerUp(DatabaseKind kind) throws SQLException {
    OpenMetadataInstance om = install(kind, "restore", FROM);
    Map<String, String> backedUp = om.fingerprint();
    String name = om.name();
    create(backup(name, om));
    MetadataBackup backup = awaitBackup(name, BackupPhase.Succeeded);
    om.damage();
    assertThat(om.fingerprint()).isNotEqualTo(backedUp);

    client.resource(restore(name + "-back", name, om)).inNamespace(ns).create();
    MetadataRestore done =
        await("restore " + name + "-back, server back")
            .atMost(cluster.timeout())
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> get(MetadataRestore.class, name + "-back"),
                r ->
                    r.getStatus() != null
                        && (r.getStatus().phase == BackupPhase.Failed
                            || Boolean.TRUE.equals(r.getStatus().serverRestored)));

    assertThat(done.getStatus().phase).isEqualTo(BackupPhase.Succeeded);
    assertThat(done.getStatus().serverReplicas).isEqualTo(REPLICAS);
    assertThat(done.getStatus().schemaVersion).isEqualTo(FROM);
    assertThat(om.fingerprint()).as("the data of the backup").isEqualTo(backedUp);
    assertThat(om.deployment().getSpec().getReplicas()).isEqualTo(REPLICAS);
    assertThat(job(name + "-back-restore").getSpec().getTemplate().getSpec().getContainers().get(0))
        .satisfies(
            c ->
                assertThat(c.getArgs())
                    .startsWith("restore", "--input", backup.getStatus().location)
                    .contains("--drop-existing", "--expect-schema-version", FROM));
    assertThat(events(name + "-back"))
        .contains("ServerScaledDown", "JobCreated", "RestoreSucceeded", "ServerScaledUp");
    E2eSetup.awaitRolledOut(cluster.namespace(), name, cluster.timeout());
    awaitReportedVersion(name, FROM);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void upgradeBacksUpMigratesRollsOutAndVerifies(DatabaseKind kind) throws SQLException {
    OpenMetadataInstance om = install(kind, "upgrade", FROM);
    String name = om.name();
    Deployment before = om.deployment();
    Optional<E2eWriter> writer = startWriter(name);
    MetadataUpgrade created = create(upgrade(name, TO));
    stopWriterOnceScaledDown(writer, name);

    MetadataUpgrade done = awaitUpgrade(name, MetadataUpgradePhase.Succeeded);
    var status = done.getStatus();
    assertThat(status.fromVersion).isEqualTo(FROM);
    assertThat(status.toVersion).isEqualTo(TO);
    assertThat(status.databaseVersion).isEqualTo(FROM);
    assertThat(status.previousImage).isEqualTo(E2eImages.server(FROM));
    assertThat(status.previousReplicas).isEqualTo(REPLICAS);
    assertThat(status.targetImage).isEqualTo(E2eImages.server(TO));
    assertThat(status.backupName).isEqualTo(name + "-backup-1");
    assertThat(status.migrationJobName).isEqualTo(name + "-migrate-1");
    assertThat(status.inspectionJobName).isEqualTo(name + "-inspect-1");
    assertThat(status.pendingApprovals).isEmpty();
    assertThat(status.breakingChanges)
        .extracting(c -> c.id + "=" + c.approved)
        .contains("1.6/auto-classification=true", "1.6/lineage-option-moved=true");
    assertThat(status.steps)
        .extracting(s -> s.name + ":" + s.outcome)
        .containsExactly(
            "Validating:Succeeded",
            "PreFlight:Succeeded",
            "ScalingDown:Succeeded",
            "BackingUp:Succeeded",
            "Migrating:Succeeded",
            "RollingOut:Succeeded",
            "Verifying:Succeeded");
    assertThat(status.steps).allSatisfy(step -> assertThat(step.durationSeconds).isNotNull());
    assertThat(status.downtime.endedAt).isNotNull();
    assertThat(status.downtime.seconds)
        .isEqualTo(
            Duration.between(
                    Instant.parse(status.downtime.startedAt),
                    Instant.parse(status.downtime.endedAt))
                .toSeconds());
    assertThat(status.downtime.startedAt)
        .as("the downtime starts with the scale-down")
        .isEqualTo(status.steps.get(2).startedAt);
    assertThat(condition(done.getStatus().conditions, "Succeeded").getStatus()).isEqualTo("True");
    assertThat(condition(done.getStatus().conditions, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(done.getStatus().conditions, "Failed").getStatus()).isEqualTo("False");
    assertThat(condition(done.getStatus().conditions, "Migrated").getStatus()).isEqualTo("True");
    assertThat(condition(done.getStatus().conditions, "Reconciling").getStatus())
        .isEqualTo("False");
    assertThat(events(name))
        .contains(
            "Validating",
            "PreFlight",
            "ScalingDown",
            "BackingUp",
            "Migrating",
            "RollingOut",
            "Verifying",
            "Succeeded");

    // The server runs the target, on a database the target's migration really migrated.
    Deployment after = om.deployment();
    Container server = after.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(server.getImage()).isEqualTo(E2eImages.server(TO));
    assertThat(after.getSpec().getReplicas()).isEqualTo(REPLICAS);
    assertThat(server.getEnv()).isEqualTo(serverEnv(before));
    awaitReportedVersion(name, TO);
    assertThat(om.schemaVersion()).isEqualTo(TO);
    int written = assertEveryAcknowledgedWriteIsPresent(writer, om);
    assertThat(om.entities()).isGreaterThanOrEqualTo(StandInOpenMetadata.ENTITIES + written);
    assertThat(om.rowsMigratedTo(TO))
        .as("every entity, written ones included")
        .isEqualTo(om.entities());

    MetadataBackup preFlight = get(MetadataBackup.class, name + "-preflight-1");
    assertOwnedBy(preFlight, created);
    assertThat(preFlight.getStatus().phase).isEqualTo(BackupPhase.Succeeded);
    assertThat(condition(preFlight.getStatus().conditions, "Verified").getStatus())
        .as("the pre-flight dump was restored into a scratch database and matched its manifest")
        .isEqualTo("True");
    assertThat(preFlight.getStatus().verification.durationSeconds).isNotNull();
    assertThat(preFlight.getSpec().deletionPolicy).isEqualTo(DeletionPolicy.Delete);

    MetadataBackup backup = get(MetadataBackup.class, name + "-backup-1");
    assertOwnedBy(backup, created);
    assertThat(backup.getSpec().source.server.deploymentName).isEqualTo(name);
    assertThat(backup.getStatus().phase).isEqualTo(BackupPhase.Succeeded);
    assertThat(backup.getStatus().schemaVersion).isEqualTo(FROM);
    Job migration = job(name + "-migrate-1");
    assertOwnedBy(migration, created);
    assertThat(jobCondition(migration, "Complete")).isTrue();
    assertThat(migration.getSpec().getBackoffLimit()).isZero();
    assertThat(migration.getSpec().getActiveDeadlineSeconds())
        .isEqualTo((long) upgrade(name, TO).getSpec().migration.timeoutSeconds);
    Container migrate = migration.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(migrate.getImage()).isEqualTo(E2eImages.server(TO));
    assertThat(migrate.getCommand()).containsExactly("./bootstrap/openmetadata-ops.sh", "migrate");
    assertThat(migrate.getWorkingDir()).isEqualTo("/opt/openmetadata");
    assertThat(migrate.getEnv()).isEqualTo(serverEnv(before));
    assertThat(
            job(name + "-inspect-1")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .startsWith("inspect");
    assertThat(get(MetadataRestore.class, name + "-restore-1")).isNull();
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void failedMigrationRollsBackTheImageAndTheData(DatabaseKind kind) throws SQLException {
    OpenMetadataInstance om = install(kind, "rollback", FROM);
    String name = om.name();
    Map<String, String> before = om.fingerprint();
    Optional<E2eWriter> writer = startWriter(name);
    create(upgrade(name, BROKEN));
    stopWriterOnceScaledDown(writer, name);

    MetadataUpgrade done = awaitUpgrade(name, MetadataUpgradePhase.RolledBack);
    assertThat(done.getStatus().firstFailure.reason).isEqualTo("MigrationFailed");
    assertThat(done.getStatus().firstFailure.step).isEqualTo("Migrating");
    assertThat(condition(done.getStatus().conditions, "Failed").getStatus()).isEqualTo("True");
    assertThat(condition(done.getStatus().conditions, "Failed").getReason())
        .isEqualTo("MigrationFailed");
    assertThat(condition(done.getStatus().conditions, "RolledBack").getStatus()).isEqualTo("True");
    assertThat(condition(done.getStatus().conditions, "Succeeded").getStatus()).isEqualTo("False");
    assertThat(jobCondition(job(name + "-migrate-1"), "Failed")).isTrue();

    // The old image runs again, on the data as it was before the half-done migration.
    assertThat(om.image()).isEqualTo(E2eImages.server(FROM));
    assertThat(om.deployment().getSpec().getReplicas()).isEqualTo(REPLICAS);
    assertThat(om.fingerprintWithoutWrites())
        .as("the data before the upgrade, besides what was written through the server")
        .isEqualTo(before);
    assertEveryAcknowledgedWriteIsPresent(writer, om);
    assertThat(om.schemaVersion()).isEqualTo(FROM);
    assertThat(om.rowsMigratedTo(BROKEN)).isZero();
    awaitReportedVersion(name, FROM);

    MetadataRestore restore = get(MetadataRestore.class, name + "-restore-1");
    assertThat(done.getStatus().restoreName).isEqualTo(name + "-restore-1");
    assertThat(restore.getSpec().backupName).isEqualTo(name + "-backup-1");
    assertThat(restore.getSpec().dropExistingTables).isTrue();
    assertThat(restore.getSpec().scaleDownServer).isFalse();
    assertThat(restore.getSpec().expectedSchemaVersion).isEqualTo(FROM);
    assertThat(restore.getStatus().phase).isEqualTo(BackupPhase.Succeeded);
    assertThat(events(name)).contains("MigrationFailed", "RolledBack");
  }

  // ---- steps --------------------------------------------------------------------------------

  /** Writes through the server {@code deployment} from now on; empty where none answers. */
  protected Optional<E2eWriter> startWriter(String deployment) {
    Optional<E2eWriter> writer = cluster.apiUrl(deployment).map(E2eWriter::start);
    writer.ifPresent(
        w ->
            await("a first write through " + deployment + " acknowledged")
                .atMost(cluster.timeout())
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !w.acknowledged().isEmpty()));
    return writer;
  }

  /** The writer writes until the upgrade {@code name} has scaled the server down. */
  protected void stopWriterOnceScaledDown(Optional<E2eWriter> writer, String name) {
    if (writer.isEmpty()) {
      return;
    }
    try (E2eWriter w = writer.get()) {
      await("upgrade " + name + " scaled the server down")
          .atMost(cluster.timeout().multipliedBy(3))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> get(MetadataUpgrade.class, name),
              u ->
                  u.getStatus() != null
                      && (TERMINAL.contains(u.getStatus().phase)
                          || u.getStatus().steps != null
                              && u.getStatus().steps.stream()
                                  .anyMatch(
                                      s -> "ScalingDown".equals(s.name) && s.outcome != null)));
    }
  }

  /**
   * Every write the server acknowledged is in the database now; returns how many there were. The
   * final backup is taken once the server is down, so a rollback that restores it loses none.
   */
  protected static int assertEveryAcknowledgedWriteIsPresent(
      Optional<E2eWriter> writer, OpenMetadataInstance om) throws SQLException {
    if (writer.isEmpty()) {
      return 0;
    }
    List<String> acknowledged = writer.get().acknowledged();
    assertThat(acknowledged)
        .as("writes acknowledged before the scale-down (of %d tried)", writer.get().attempts())
        .hasSizeGreaterThan(10);
    int present = om.present(acknowledged);
    System.out.printf(
        "%s: %d acknowledged writes (of %d tried), %d present%n",
        om.name(), acknowledged.size(), writer.get().attempts(), present);
    assertThat(present)
        .as("acknowledged writes present in the database")
        .isEqualTo(acknowledged.size());
    return acknowledged.size();
  }

  protected OpenMetadataInstance install(DatabaseKind kind, String scenario, String version)
      throws SQLException {
    return install(kind, scenario, version, REPLICAS, E2eManifests::openMetadataServer);
  }

  protected OpenMetadataInstance install(
      DatabaseKind kind,
      String scenario,
      String version,
      int replicas,
      E2eManifests.ServerShape shape)
      throws SQLException {
    String name = scenario + "-" + kind.name().toLowerCase(Locale.ROOT);
    OpenMetadataInstance om =
        OpenMetadataInstance.install(cluster, kind, name, version, replicas, shape);
    instances.add(om);
    assertThat(om.schemaVersion()).isEqualTo(version);
    awaitReportedVersion(name, version);
    return om;
  }

  protected MetadataBackup backup(String name, OpenMetadataInstance om) {
    MetadataBackup backup = new MetadataBackup();
    backup.getMetadata().setName(name);
    MetadataBackupSpec spec = new MetadataBackupSpec();
    spec.source = DatabaseSource.ofServer(om.name());
    spec.storage = E2eManifests.storage("e2e");
    backup.setSpec(spec);
    return backup;
  }

  private MetadataRestore restore(String name, String backupName, OpenMetadataInstance om) {
    MetadataRestore restore = new MetadataRestore();
    restore.getMetadata().setName(name);
    MetadataRestoreSpec spec = new MetadataRestoreSpec();
    spec.backupName = backupName;
    spec.target = DatabaseSource.ofServer(om.name());
    spec.dropExistingTables = true;
    spec.expectedSchemaVersion = FROM;
    restore.setSpec(spec);
    return restore;
  }

  protected MetadataUpgrade upgrade(String name, String version) {
    return E2eManifests.upgrade(name, version, cluster);
  }

  protected <R extends HasMetadata> R create(R object) {
    return client.resource(object).inNamespace(ns).create();
  }

  protected MetadataBackup awaitBackup(String name, BackupPhase phase) {
    MetadataBackup backup =
        await("backup " + name + " finished")
            .atMost(cluster.timeout())
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> get(MetadataBackup.class, name),
                b ->
                    b.getStatus() != null
                        && (b.getStatus().phase == BackupPhase.Succeeded
                            || b.getStatus().phase == BackupPhase.Failed));
    assertThat(backup.getStatus().phase).as(backup.getStatus().message).isEqualTo(phase);
    return backup;
  }

  private static final List<MetadataUpgradePhase> TERMINAL =
      List.of(
          MetadataUpgradePhase.Succeeded,
          MetadataUpgradePhase.RolledBack,
          MetadataUpgradePhase.Failed,
          MetadataUpgradePhase.Stalled);

  protected MetadataUpgrade awaitUpgrade(String name, MetadataUpgradePhase phase) {
    MetadataUpgrade upgrade =
        await("upgrade " + name + " finished")
            .atMost(cluster.timeout().multipliedBy(3))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> get(MetadataUpgrade.class, name),
                u -> u.getStatus() != null && TERMINAL.contains(u.getStatus().phase));
    assertThat(upgrade.getStatus().phase).as(upgrade.getStatus().message).isEqualTo(phase);
    return upgrade;
  }

  protected void awaitReportedVersion(String deployment, String version) {
    Predicate<Optional<String>> reportsIt = v -> v.isPresent() && v.get().equals(version);
    await("version endpoint of " + deployment + " reports " + version)
        .atMost(cluster.timeout())
        .pollInterval(Duration.ofMillis(500))
        .until(() -> cluster.reportedVersion(deployment), reportsIt);
  }

  protected <R extends HasMetadata> R get(Class<R> type, String name) {
    return client.resources(type).inNamespace(ns).withName(name).get();
  }

  protected Job job(String name) {
    return client.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  private static List<EnvVar> serverEnv(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
  }

  protected static boolean jobCondition(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void assertOwnedBy(HasMetadata child, HasMetadata owner) {
    assertThat(child.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(owner.getMetadata().getUid()));
  }

  protected List<String> events(String objectName) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> objectName.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  protected static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
  }
}
