package io.metadataops.controller;

import static io.metadataops.testing.OpenMetadataFixture.CLAIM;
import static io.metadataops.testing.OpenMetadataFixture.PASSWORD;
import static io.metadataops.testing.OpenMetadataFixture.SECRET;
import static io.metadataops.testing.OpenMetadataFixture.SECRET_KEY;
import static io.metadataops.testing.OpenMetadataFixture.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.BackupVerification;
import io.metadataops.api.DeletionPolicy;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSpec;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataRestoreSpec;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.ClusterTest;
import io.metadataops.testing.LogCapture;
import io.metadataops.testing.OpenMetadataFixture;
import io.metadataops.testing.Simulation;
import io.metadataops.testing.TestOperator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MetadataBackup and MetadataRestore against a real API server, pods simulated by KWOK: Job specs,
 * failures, refusals, deletion policies, secrecy. A backup and a restore that really run are
 * end-to-end scenarios (io.metadataops.e2e.EndToEndScenarios).
 */
@ClusterTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRestoreControllersIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SUCCESS =
      "{\"command\":\"backup\",\"status\":\"Succeeded\",\"exitCode\":0,\"location\":\"/backups/om/x.sql.gz\","
          + "\"manifestLocation\":\"/backups/om/x.sql.gz.manifest.json\",\"sizeBytes\":5242880,"
          + "\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
          + "\"tables\":42,\"rows\":123456,\"schemaVersion\":\"1.5.2\",\"engine\":\"mysql\","
          + "\"serverVersion\":\"8.0.31\",\"durationSeconds\":12.5}";

  private final ClusterNamespace namespace;
  private final KubernetesClient client;
  private final LogCapture logs = LogCapture.start();
  private TestOperator operator;

  BackupRestoreControllersIT(ClusterNamespace namespace) {
    this.namespace = namespace;
    this.client = namespace.client();
  }

  @BeforeAll
  void startOperator() {
    OpenMetadataFixture.install(namespace, "1.5.2", 2);
    operator = TestOperator.start(namespace);
  }

  @AfterAll
  void stopOperator() {
    operator.close();
    logs.close();
  }

  @Test
  void backupJobReadsTheServerSettingsAndRunsRestricted() {
    MetadataBackup backup =
        create(backup("settings", Map.of(Simulation.TERMINATION_MESSAGE, SUCCESS), Map.of()));
    Job job = await().atMost(TIMEOUT).until(() -> job("settings-backup"), j -> j != null);

    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(backup.getMetadata().getUid()));
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86400);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Container engine = pod.getContainers().get(0);
    assertThat(engine.getImage()).isEqualTo(TestOperator.ENGINE_IMAGE);
    assertThat(engine.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(engine.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(engine.getResources().getRequests().get("memory").toString()).isEqualTo("1Gi");
    assertThat(engine.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(engine.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(engine.getArgs())
        .startsWith("backup", "--output")
        .contains("--compress", "gzip", "--result-file", "/dev/termination-log");
    assertThat(engine.getArgs().get(2))
        .matches("/backups/openmetadata/settings-\\d{8}T\\d{6}Z\\.sql\\.gz");
    assertThat(engine.getEnv())
        .extracting(EnvVar::getName)
        .containsExactlyInAnyOrder(
            "DB_SCHEME",
            "DB_HOST",
            "DB_PORT",
            "DB_USER",
            "DB_USER_PASSWORD",
            "OM_DATABASE",
            "JAVA_OPTS");
    EnvVar password =
        engine.getEnv().stream()
            .filter(e -> e.getName().equals("DB_USER_PASSWORD"))
            .findFirst()
            .orElseThrow();
    assertThat(password.getValue()).isNull();
    assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo(SECRET);
    assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(SECRET_KEY);
    assertThat(pod.getVolumes())
        .anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(CLAIM));
    assertThat(engine.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/backups"));
  }

  @Test
  void failingPodEndsInTheFailureConditionAfterTheRetriesOfBackoffLimit() {
    String failure =
        "{\"command\":\"backup\",\"status\":\"Failed\",\"exitCode\":11,\"errorCode\":\"AUTHENTICATION\","
            + "\"error\":\"access denied for openmetadata_user: check the password Secret\"}";
    create(
        backup(
            "failing",
            Map.of(Simulation.TERMINATION_MESSAGE, failure),
            Map.of(Simulation.OUTCOME, Simulation.FAIL)));
    MetadataBackup failed = awaitPhase("failing", BackupPhase.Failed);

    Condition condition = condition(failed.getStatus().conditions, "Failed");
    assertThat(condition.getStatus()).isEqualTo("True");
    assertThat(condition.getReason()).isEqualTo("AUTHENTICATION");
    assertThat(condition.getMessage())
        .contains("access denied for openmetadata_user")
        .contains("2 attempt(s)");
    assertThat(condition(failed.getStatus().conditions, "Ready").getStatus()).isEqualTo("False");
    assertThat(
            client
                .pods()
                .inNamespace(namespace.name())
                .withLabel("job-name", "failing-backup")
                .list()
                .getItems())
        .hasSize(2);
    assertThat(events("failing")).contains("BackupFailed");
  }

  @Test
  void missingServerDeploymentStallsWithTheFieldToFix() {
    MetadataBackup stalled = stalledOnAMissingServer("orphan");
    Condition condition = condition(stalled.getStatus().conditions, "Stalled");
    assertThat(condition.getStatus()).isEqualTo("True");
    assertThat(condition.getReason()).isEqualTo("ServerNotFound");
    assertThat(condition.getMessage())
        .contains("spec.source.server.deploymentName")
        .contains("no-such-server");
    assertThat(job("orphan-backup")).isNull();
  }

  @Test
  void verificationRestoresTheDumpIntoAScratchDatabaseBeforeTheBackupSucceeds() {
    MetadataBackup backup =
        backup("checked", Map.of(Simulation.TERMINATION_MESSAGE, SUCCESS), Map.of());
    backup.getSpec().verify = new BackupVerification();
    backup.getSpec().verify.enabled = true;
    MetadataBackup created = create(backup);

    MetadataBackup done = awaitPhase("checked", BackupPhase.Succeeded);
    String scratch = "mdverify_" + created.getMetadata().getUid().replace("-", "").substring(0, 12);
    assertThat(done.getStatus().verification.scratchDatabase).isEqualTo(scratch);
    assertThat(done.getStatus().verification.jobName).isEqualTo("checked-verify");
    assertThat(condition(done.getStatus().conditions, "Verified").getStatus()).isEqualTo("True");
    assertThat(done.getStatus().message).contains("verified by restore into " + scratch);
    Job verify = job("checked-verify");
    Container engine = verify.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(engine.getArgs())
        .startsWith("verify", "--input", done.getStatus().location, "--scratch-database", scratch);
    assertThat(engine.getEnv()).extracting(EnvVar::getName).contains("DB_USER_PASSWORD");
    assertThat(events("checked")).contains("VerificationStarted", "BackupSucceeded");
    assertThat(
            operator
                .meters()
                .counter(
                    "metadataops_backup_verifications_passed_total", "namespace", namespace.name())
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void aJobThatCompletesWithoutTheEnginesResultFailsTheBackup() {
    create(backup("silent", Map.of(), Map.of()));
    MetadataBackup failed = awaitPhase("silent", BackupPhase.Failed);
    assertThat(condition(failed.getStatus().conditions, "Failed").getReason())
        .isEqualTo("NoResult");
    assertThat(failed.getStatus().message).contains("left no result");
    assertThat(events("silent")).contains("BackupFailed").doesNotContain("BackupSucceeded");
  }

  /**
   * A stalled backup is looked at again every recheck interval (2 s here), and each look records a
   * warning event; its status stays the same, so no look may write it.
   */
  @Test
  void reconcilingAnUnchangedStatusWritesNothing() {
    MetadataBackup stalled = stalledOnAMissingServer("unchanged");
    long looksBefore = events("unchanged").stream().filter("ServerNotFound"::equals).count();
    List<String> versions = new CopyOnWriteArrayList<>();
    try (var watch =
        client
            .resources(MetadataBackup.class)
            .inNamespace(namespace.name())
            .withName("unchanged")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, MetadataBackup resource) {
                    if (action == Action.MODIFIED) {
                      versions.add(resource.getMetadata().getResourceVersion());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  events("unchanged").stream().filter("ServerNotFound"::equals).count()
                      >= looksBefore + 3);
    }
    assertThat(versions).as("status writes while nothing changed").isEmpty();
    assertThat(get("unchanged").getMetadata().getResourceVersion())
        .isEqualTo(stalled.getMetadata().getResourceVersion());
  }

  @Test
  void retainPolicyKeepsTheDumpWhenTheBackupIsDeleted() {
    create(backup("kept", Map.of(Simulation.TERMINATION_MESSAGE, SUCCESS), Map.of()));
    MetadataBackup done = awaitPhase("kept", BackupPhase.Succeeded);
    // The end-to-end scenarios (io.metadataops.e2e) check a real result; this one is simulated.
    assertThat(done.getStatus().size).isEqualTo("5.0 MiB");
    assertThat(operator.meters().find("metadataops_backups_succeeded_total").counter().count())
        .isGreaterThanOrEqualTo(1);
    client.resources(MetadataBackup.class).inNamespace(namespace.name()).withName("kept").delete();
    await().atMost(TIMEOUT).until(() -> get("kept") == null);
    assertThat(job("kept-delete")).isNull();
  }

  @Test
  void deletePolicyRemovesTheDumpBeforeTheBackupGoes() {
    MetadataBackup backup =
        backup("dropped", Map.of(Simulation.TERMINATION_MESSAGE, SUCCESS), Map.of());
    backup.getSpec().deletionPolicy = DeletionPolicy.Delete;
    create(backup);
    awaitPhase("dropped", BackupPhase.Succeeded);
    client
        .resources(MetadataBackup.class)
        .inNamespace(namespace.name())
        .withName("dropped")
        .delete();
    Job deletion = await().atMost(TIMEOUT).until(() -> job("dropped-delete"), j -> j != null);
    assertThat(deletion.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .startsWith("delete", "--location", "/backups/om/x.sql.gz");
    await().atMost(TIMEOUT).until(() -> get("dropped") == null);
    assertThat(events("dropped")).contains("DumpDeletionStarted", "DumpDeleted");
  }

  @Test
  void restoreRefusesABackupOfAnotherSchemaVersion() {
    create(backup("old-version", Map.of(Simulation.TERMINATION_MESSAGE, SUCCESS), Map.of()));
    awaitPhase("old-version", BackupPhase.Succeeded);
    client
        .resource(restore("mismatch", "old-version", "1.6.0"))
        .inNamespace(namespace.name())
        .create();
    MetadataRestore refused =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    client
                        .resources(MetadataRestore.class)
                        .inNamespace(namespace.name())
                        .withName("mismatch")
                        .get(),
                r -> r.getStatus() != null && !r.getStatus().conditions.isEmpty());
    Condition stalled = condition(refused.getStatus().conditions, "Stalled");
    assertThat(stalled.getReason()).isEqualTo("SchemaVersionMismatch");
    assertThat(stalled.getMessage())
        .contains("1.5.2")
        .contains("1.6.0")
        .contains("allowSchemaVersionMismatch");
    assertThat(job("mismatch-restore")).isNull();
  }

  /**
   * The chart keeps DB_HOST, DB_PORT and OM_DATABASE in Secret {@code <release>-db-secret}, which
   * the operator never reads: until the Job reports where it connected the status cannot say.
   */
  @Test
  void aChartShapedServersBackupShowsTheDatabaseItsJobReached() {
    Deployment charted = OpenMetadataFixture.server("1.5.2", 0);
    charted.getMetadata().setName("charted");
    var container = charted.getSpec().getTemplate().getSpec().getContainers().get(0);
    container.setEnv(
        container.getEnv().stream().filter(e -> e.getName().equals("DB_USER_PASSWORD")).toList());
    container.setEnvFrom(
        List.of(
            new EnvFromSourceBuilder()
                .withNewSecretRef()
                .withName("om-db-secret")
                .endSecretRef()
                .build()));
    client.resource(charted).inNamespace(namespace.name()).create();
    String reached = "mysql://mysql.databases.svc:3306/openmetadata_db";
    MetadataBackup backup =
        backup(
            "charted",
            Map.of(
                Simulation.TERMINATION_MESSAGE,
                SUCCESS.replace("}", ",\"database\":\"" + reached + "\"}")),
            Map.of());
    backup.getSpec().source = DatabaseSource.ofServer("charted");
    create(backup);

    MetadataBackup done = awaitPhase("charted", BackupPhase.Succeeded);

    assertThat(done.getStatus().database).isEqualTo(reached);
  }

  @Test
  void thePasswordAppearsNowhereTheOperatorWrites() {
    create(backup("secretive", Map.of(Simulation.TERMINATION_MESSAGE, SUCCESS), Map.of()));
    awaitPhase("secretive", BackupPhase.Succeeded);
    String everything =
        Serialization.asJson(client.batch().v1().jobs().inNamespace(namespace.name()).list())
            + Serialization.asJson(
                client.resources(MetadataBackup.class).inNamespace(namespace.name()).list())
            + Serialization.asJson(
                client.resources(MetadataRestore.class).inNamespace(namespace.name()).list())
            + Serialization.asJson(client.v1().events().inNamespace(namespace.name()).list())
            + logs.text();
    assertThat(logs.text()).contains("secretive");
    assertThat(everything).doesNotContain(PASSWORD);
  }

  private MetadataBackup backup(
      String name, Map<String, String> podAnnotations, Map<String, String> podLabels) {
    MetadataBackup backup = new MetadataBackup();
    backup.getMetadata().setName(name);
    MetadataBackupSpec spec = new MetadataBackupSpec();
    spec.source = DatabaseSource.ofServer(SERVER);
    spec.storage = new StorageSpec();
    spec.storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
    spec.storage.persistentVolumeClaim.claimName = CLAIM;
    spec.storage.persistentVolumeClaim.path = "openmetadata";
    spec.job.podAnnotations = podAnnotations;
    spec.job.podLabels = podLabels;
    backup.setSpec(spec);
    return backup;
  }

  private MetadataRestore restore(String name, String backupName, String expectedVersion) {
    MetadataRestore restore = new MetadataRestore();
    restore.getMetadata().setName(name);
    MetadataRestoreSpec spec = new MetadataRestoreSpec();
    spec.backupName = backupName;
    spec.target = DatabaseSource.ofServer(SERVER);
    spec.dropExistingTables = true;
    spec.expectedSchemaVersion = expectedVersion;
    spec.job.podAnnotations =
        Map.of(
            Simulation.TERMINATION_MESSAGE,
            "{\"command\":\"restore\",\"status\":\"Succeeded\",\"schemaVersion\":\"1.5.2\",\"tables\":42,\"rows\":123456}");
    restore.setSpec(spec);
    return restore;
  }

  private MetadataBackup create(MetadataBackup backup) {
    return client.resource(backup).inNamespace(namespace.name()).create();
  }

  private MetadataBackup get(String name) {
    return client
        .resources(MetadataBackup.class)
        .inNamespace(namespace.name())
        .withName(name)
        .get();
  }

  /** A backup of a server Deployment that does not exist, once it has recorded that. */
  private MetadataBackup stalledOnAMissingServer(String name) {
    MetadataBackup backup = backup(name, Map.of(), Map.of());
    backup.getSpec().source = DatabaseSource.ofServer("no-such-server");
    create(backup);
    return await()
        .atMost(TIMEOUT)
        .until(() -> get(name), b -> b.getStatus() != null && !b.getStatus().conditions.isEmpty());
  }

  private MetadataBackup awaitPhase(String name, BackupPhase phase) {
    return await()
        .atMost(TIMEOUT)
        .until(() -> get(name), b -> b.getStatus() != null && b.getStatus().phase == phase);
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(namespace.name()).withName(name).get();
  }

  private List<String> events(String objectName) {
    return client.v1().events().inNamespace(namespace.name()).list().getItems().stream()
        .filter(e -> objectName.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
  }
}
