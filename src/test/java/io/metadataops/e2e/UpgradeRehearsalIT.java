package io.metadataops.e2e;

import static io.metadataops.e2e.E2eImages.APPROVALS_1_6;
import static io.metadataops.e2e.E2eImages.BROKEN;
import static io.metadataops.e2e.E2eImages.FROM;
import static io.metadataops.e2e.E2eImages.TO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradePhase;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.RehearsalSpec;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import io.metadataops.testing.JobConditions;
import io.metadataops.testing.OpenMetadataFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rehearsal of a migration on a scratch copy, with everything real but the pods: the local
 * control plane, the operator in-process, its engine Jobs run with the packaged jar and its
 * migration Jobs with the stand-in server's migration ({@link KwokProvider}), on the local MySQL 8
 * and PostgreSQL. Every check of the data reads the databases themselves.
 */
@Tag("cluster")
@Tag("database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeRehearsalIT {

  private static final int REPLICAS = 2;

  private KwokProvider cluster;
  private KubernetesClient client;
  private String ns;
  private final List<OpenMetadataInstance> instances = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    cluster = KwokProvider.start();
    client = cluster.namespace().client();
    ns = cluster.namespace().name();
  }

  @AfterAll
  void stop() throws SQLException {
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

  /**
   * The stand-in's {@value StandInOpenMetadata#BROKEN_MIGRATION} migration fails halfway: in the
   * rehearsal, on the copy. Production keeps serving its data, untouched, and the copy is gone.
   */
  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aFailingRehearsalLeavesProductionServingUntouchedAndDropsItsScratch(DatabaseKind kind)
      throws SQLException {
    OpenMetadataInstance om = install(kind, "rehearsal-fails");
    String name = om.name();
    Map<String, String> data = om.fingerprint();
    Deployment before = om.deployment();

    MetadataUpgrade done = awaitEnd(create(upgrade(name, BROKEN)), MetadataUpgradePhase.Failed);

    var status = done.getStatus();
    assertThat(status.firstFailure.reason).isEqualTo("RehearsalFailed");
    assertThat(status.firstFailure.message)
        .contains("failed on a copy of the database", "never stopped");
    assertThat(status.rehearsal.outcome).isEqualTo("Failed");
    assertThat(status.rehearsal.migrationSeconds).isNull();
    assertThat(status.steps)
        .extracting(s -> s.name + ":" + s.outcome)
        .containsExactly("Validating:Succeeded", "PreFlight:Succeeded", "Rehearsing:Failed");
    assertThat(status.downtime).isNull();
    assertRehearsedOnTheScratch(name, BROKEN, status.rehearsal.scratchDatabase, om);
    assertThat(JobConditions.isTrue(job(name + "-rehearse-migrate-1"), "Failed")).isTrue();
    assertThat(terminationMessage(job(name + "-rehearse-migrate-1")))
        .as("the copy was half-migrated, as production would have been")
        .contains(
            "failed after %d of %d"
                .formatted(StandInOpenMetadata.ENTITIES / 2, StandInOpenMetadata.ENTITIES),
            "half-migrated");
    assertThat(databaseExists(om, status.rehearsal.scratchDatabase)).isFalse();

    // Production: never scaled down or changed, no backup of it restored, its data as it was.
    Deployment after = om.deployment();
    assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
    assertThat(after.getSpec()).isEqualTo(before.getSpec());
    assertThat(get(MetadataBackup.class, name + "-backup-1")).isNull();
    assertThat(get(MetadataRestore.class, name + "-restore-1")).isNull();
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName(name + "-migrate-1").get())
        .isNull();
    assertThat(om.fingerprint()).isEqualTo(data);
    assertThat(om.schemaVersion()).isEqualTo(FROM);
    assertThat(cluster.reportedVersion(name)).contains(FROM);
  }

  /**
   * A passing rehearsal reports how long the migration took, drops its scratch, and the upgrade
   * goes on: the final backup, taken after it, still finds production at the old version.
   */
  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aPassingRehearsalReportsTheMigrationTimeDropsItsScratchAndTheUpgradeGoesOn(DatabaseKind kind)
      throws SQLException {
    OpenMetadataInstance om = install(kind, "rehearsal-passes");
    String name = om.name();

    MetadataUpgrade done = awaitEnd(create(upgrade(name, TO)), MetadataUpgradePhase.Succeeded);

    var status = done.getStatus();
    assertThat(status.rehearsal.outcome).isEqualTo("Passed");
    Job rehearsal = job(name + "-rehearse-migrate-1");
    assertThat(status.rehearsal.migrationSeconds)
        .isEqualTo(
            Duration.between(
                    java.time.Instant.parse(rehearsal.getStatus().getStartTime()),
                    java.time.Instant.parse(rehearsal.getStatus().getCompletionTime()))
                .toSeconds());
    assertThat(status.rehearsal.message)
        .contains("migrated a copy of the database to " + TO + " in ");
    assertThat(status.steps)
        .extracting(s -> s.name)
        .containsSubsequence("PreFlight", "Rehearsing", "ScalingDown", "BackingUp", "Migrating");
    assertThat(status.downtime.startedAt)
        .as("the rehearsal is before the downtime")
        .isEqualTo(status.steps.get(3).startedAt);
    assertRehearsedOnTheScratch(name, TO, status.rehearsal.scratchDatabase, om);
    assertThat(terminationMessage(rehearsal)).contains("Migrated from " + FROM + " to " + TO);
    assertThat(databaseExists(om, status.rehearsal.scratchDatabase)).isFalse();

    assertThat(get(MetadataBackup.class, name + "-backup-1").getStatus().schemaVersion)
        .as("production was still at the old version after the rehearsal")
        .isEqualTo(FROM);
    assertThat(terminationMessage(job(name + "-migrate-1")))
        .contains("Migrated from " + FROM + " to " + TO);
    assertThat(om.schemaVersion()).isEqualTo(TO);
    assertThat(om.rowsMigratedTo(TO)).isEqualTo(StandInOpenMetadata.ENTITIES);
  }

  // ---- steps and checks

  /**
   * The rehearsal's Jobs worked on the scratch database: the restore kept it, the migration had it
   * as the server's database setting, the drop named it; and it is never the server's database.
   */
  private void assertRehearsedOnTheScratch(
      String name, String version, String scratch, OpenMetadataInstance om) {
    assertThat(scratch).startsWith("mdrehearse_").isNotEqualTo(om.database());
    assertThat(args(job(name + "-rehearse-restore-1")))
        .startsWith("verify", "--input")
        .containsSequence("--scratch-database", scratch, "--keep-scratch");
    List<EnvVar> env = container(job(name + "-rehearse-migrate-1")).getEnv();
    assertThat(env)
        .filteredOn(e -> e.getName().equals("OM_DATABASE"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo(scratch));
    assertThat(container(job(name + "-rehearse-migrate-1")).getImage())
        .isEqualTo(E2eImages.server(version));
    assertThat(args(job(name + "-rehearse-drop-1")))
        .startsWith("drop-scratch", "--scratch-database", scratch);
    assertThat(JobConditions.isTrue(job(name + "-rehearse-drop-1"), "Complete")).isTrue();
  }

  private OpenMetadataInstance install(DatabaseKind kind, String scenario) throws SQLException {
    String name = scenario + "-" + kind.name().toLowerCase(Locale.ROOT);
    OpenMetadataInstance om = OpenMetadataInstance.install(cluster, kind, name, FROM, REPLICAS);
    instances.add(om);
    await("version endpoint of " + name)
        .atMost(cluster.timeout())
        .until(() -> cluster.reportedVersion(name).filter(FROM::equals).isPresent());
    return om;
  }

  private MetadataUpgrade upgrade(String name, String version) {
    MetadataUpgrade upgrade = OpenMetadataFixture.upgrade(name, version, E2eManifests.CLAIM);
    MetadataUpgradeSpec spec = upgrade.getSpec();
    spec.backup.storage.persistentVolumeClaim.path = "rehearsals";
    spec.rehearsal = new RehearsalSpec();
    spec.rehearsal.enabled = true;
    spec.approvedChanges = APPROVALS_1_6;
    int seconds = (int) cluster.timeout().toSeconds();
    spec.migration.timeoutSeconds = seconds;
    spec.rollout.timeoutSeconds = seconds;
    spec.verification.timeoutSeconds = seconds;
    spec.verification.url = cluster.verificationUrl(name);
    return upgrade;
  }

  private MetadataUpgrade awaitEnd(MetadataUpgrade upgrade, MetadataUpgradePhase expected) {
    Set<MetadataUpgradePhase> terminal =
        Set.of(
            MetadataUpgradePhase.Succeeded,
            MetadataUpgradePhase.RolledBack,
            MetadataUpgradePhase.Failed,
            MetadataUpgradePhase.Stalled);
    String name = upgrade.getMetadata().getName();
    MetadataUpgrade done =
        await("upgrade " + name + " finished")
            .atMost(cluster.timeout().multipliedBy(3))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> get(MetadataUpgrade.class, name),
                u -> u.getStatus() != null && terminal.contains(u.getStatus().phase));
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(expected);
    return done;
  }

  /** Whether {@code database} exists on the server of {@code om}, asked from its admin database. */
  private static boolean databaseExists(OpenMetadataInstance om, String database)
      throws SQLException {
    Map<String, String> env = om.testEnv();
    env.put("OM_DATABASE", om.kind().adminDatabase());
    String query =
        om.kind() == DatabaseKind.POSTGRESQL
            ? "SELECT count(*) FROM pg_database WHERE datname = ?"
            : "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";
    try (Connection c = StandInOpenMetadata.connect(env);
        PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) > 0;
      }
    }
  }

  /** What the pod of a finished Job reported (the stand-in migration's outcome). */
  private String terminationMessage(Job job) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(ns)
            .withLabel("job-name", job.getMetadata().getName())
            .list()
            .getItems();
    assertThat(pods).as("pods of " + job.getMetadata().getName()).hasSize(1);
    return pods.get(0)
        .getStatus()
        .getContainerStatuses()
        .get(0)
        .getState()
        .getTerminated()
        .getMessage();
  }

  private <R extends HasMetadata> R create(R object) {
    return client.resource(object).inNamespace(ns).create();
  }

  private <R extends HasMetadata> R get(Class<R> type, String name) {
    return client.resources(type).inNamespace(ns).withName(name).get();
  }

  private Job job(String name) {
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
    assertThat(job).as("Job " + name).isNotNull();
    return job;
  }

  private static io.fabric8.kubernetes.api.model.Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static List<String> args(Job job) {
    return container(job).getArgs();
  }
}
