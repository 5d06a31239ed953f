package io.metadataops.controller;

import static io.metadataops.testing.OpenMetadataFixture.CLAIM;
import static io.metadataops.testing.OpenMetadataFixture.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.BackupRetention;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSchedule;
import io.metadataops.api.MetadataBackupScheduleSpec;
import io.metadataops.api.MetadataBackupSpec;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.controller.schedule.MetadataBackupScheduleReconciler;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.ClusterTest;
import io.metadataops.testing.MutableClock;
import io.metadataops.testing.OpenMetadataFixture;
import io.metadataops.testing.Simulation;
import io.metadataops.testing.TestOperator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** MetadataBackupSchedule with a clock the test moves: creation, retention, concurrency guard. */
@ClusterTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupScheduleControllerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String SUCCESS =
      "{\"command\":\"backup\",\"status\":\"Succeeded\",\"location\":\"/backups/x.sql.gz\",\"sizeBytes\":10}";

  private final ClusterNamespace namespace;
  private final KubernetesClient client;
  private final MutableClock clock = new MutableClock(Instant.now());
  private TestOperator operator;

  BackupScheduleControllerIT(ClusterNamespace namespace) {
    this.namespace = namespace;
    this.client = namespace.client();
  }

  @BeforeAll
  void startOperator() {
    OpenMetadataFixture.install(namespace, "1.5.2", 1);
    operator = TestOperator.start(namespace, clock);
  }

  @AfterAll
  void stopOperator() {
    operator.close();
  }

  @Test
  void createsBackupsWhenDueAndKeepsTheLastTwo() {
    client.resource(schedule("nightly", Map.of())).inNamespace(namespace.name()).create();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                schedule("nightly").getStatus() != null
                    && schedule("nightly").getStatus().nextScheduleTime != null);
    assertThat(backups("nightly")).isEmpty();

    for (int run = 1; run <= 3; run++) {
      int expected = run;
      nextSlot("nightly");
      poke("nightly");
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  created("nightly") == expected
                      && succeeded(backups("nightly")) >= Math.min(expected, 2));
    }
    clock.advance(Duration.ofSeconds(1));
    poke("nightly");
    await().atMost(TIMEOUT).until(() -> backups("nightly").size() == 2);
    List<MetadataBackup> kept = backups("nightly");
    assertThat(kept).allSatisfy(b -> assertThat(b.getMetadata().getName()).startsWith("nightly-"));
    MetadataBackupSchedule status = schedule("nightly");
    assertThat(status.getStatus().lastSuccessfulBackup)
        .isIn(kept.stream().map(b -> b.getMetadata().getName()).toList());
    assertThat(events("nightly")).contains("BackupCreated", "BackupPruned");
    remove("nightly");
  }

  @Test
  void neverRunsTwoBackupsOfTheSameDatabaseAtOnce() {
    client
        .resource(schedule("guarded", Map.of(Simulation.OUTCOME, Simulation.HANG)))
        .inNamespace(namespace.name())
        .create();
    await().atMost(TIMEOUT).until(() -> schedule("guarded").getStatus() != null);
    nextSlot("guarded");
    poke("guarded");
    await().atMost(TIMEOUT).until(() -> backups("guarded").size() == 1);
    nextSlot("guarded");
    poke("guarded");
    await().atMost(TIMEOUT).until(() -> events("guarded").contains("BackupSkipped"));
    assertThat(backups("guarded")).hasSize(1);

    // Its backup never finishes: remove it, so it blocks no other test's backups of this database.
    client
        .resources(MetadataBackupSchedule.class)
        .inNamespace(namespace.name())
        .withName("guarded")
        .delete();
    client
        .resources(MetadataBackup.class)
        .inNamespace(namespace.name())
        .withLabel(MetadataBackupScheduleReconciler.LABEL_SCHEDULE, "guarded")
        .delete();
    await().atMost(TIMEOUT).until(() -> backups("guarded").isEmpty());
  }

  private MetadataBackupSchedule schedule(String name, Map<String, String> podLabels) {
    MetadataBackupSchedule schedule = new MetadataBackupSchedule();
    schedule.getMetadata().setName(name);
    MetadataBackupScheduleSpec spec = new MetadataBackupScheduleSpec();
    spec.schedule = "* * * * *";
    spec.backupTemplate = new MetadataBackupSpec();
    spec.backupTemplate.source = DatabaseSource.ofServer(SERVER);
    spec.backupTemplate.storage = new StorageSpec();
    spec.backupTemplate.storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
    spec.backupTemplate.storage.persistentVolumeClaim.claimName = CLAIM;
    spec.backupTemplate.job.podAnnotations = Map.of(Simulation.TERMINATION_MESSAGE, SUCCESS);
    spec.backupTemplate.job.podLabels = podLabels;
    spec.retention = new BackupRetention();
    spec.retention.keepLast = 2;
    schedule.setSpec(spec);
    return schedule;
  }

  /**
   * Deletes a schedule and its backups: the tests share one clock and one database, so a schedule
   * left behind would come due in the next test and trip its concurrency guard.
   */
  private void remove(String name) {
    client
        .resources(MetadataBackupSchedule.class)
        .inNamespace(namespace.name())
        .withName(name)
        .delete();
    client
        .resources(MetadataBackup.class)
        .inNamespace(namespace.name())
        .withLabel(MetadataBackupScheduleReconciler.LABEL_SCHEDULE, name)
        .delete();
    await().atMost(TIMEOUT).until(() -> backups(name).isEmpty() && schedule(name) == null);
  }

  /**
   * Moves the clock just past the next minute ("* * * * *" slot) after both the clock and the
   * schedule's creation: the API server stamps creation with real time, which may be ahead.
   */
  private void nextSlot(String name) {
    clock.atLeast(Instant.parse(schedule(name).getMetadata().getCreationTimestamp()));
    clock.atLeast(
        clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)).plusSeconds(1));
  }

  private MetadataBackupSchedule schedule(String name) {
    return client
        .resources(MetadataBackupSchedule.class)
        .inNamespace(namespace.name())
        .withName(name)
        .get();
  }

  /**
   * The test's clock moved: an annotation change makes the operator look now, not at its next
   * timer.
   */
  private void poke(String name) {
    client
        .resources(MetadataBackupSchedule.class)
        .inNamespace(namespace.name())
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"test/poke\":\"%d\"}}}".formatted(System.nanoTime()));
  }

  private List<MetadataBackup> backups(String schedule) {
    return client
        .resources(MetadataBackup.class)
        .inNamespace(namespace.name())
        .withLabel(MetadataBackupScheduleReconciler.LABEL_SCHEDULE, schedule)
        .list()
        .getItems()
        .stream()
        .filter(b -> b.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private long created(String schedule) {
    return events(schedule).stream().filter("BackupCreated"::equals).count();
  }

  private static long succeeded(List<MetadataBackup> backups) {
    return backups.stream()
        .filter(b -> b.getStatus() != null && b.getStatus().phase == BackupPhase.Succeeded)
        .count();
  }

  private List<String> events(String objectName) {
    return client.v1().events().inNamespace(namespace.name()).list().getItems().stream()
        .filter(e -> objectName.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }
}
