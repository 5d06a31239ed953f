package io.metadataops.controller.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metadataops.api.BackupRetention;
import io.metadataops.api.shared.DatabaseSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BackupSchedulingTest {

  private static final Instant T0 = Instant.parse("2026-11-25T01:00:30Z");

  @Test
  void dueOnlyOnceASlotHasPassedSinceTheLastOne() throws Exception {
    var schedule = BackupScheduling.parse("*/5 * * * *", "UTC");
    assertThat(schedule.dueSince(T0, T0.plusSeconds(60))).isEmpty();
    assertThat(schedule.dueSince(T0, Instant.parse("2026-11-25T01:05:00Z")))
        .contains(Instant.parse("2026-11-25T01:05:00Z"));
    assertThat(
            schedule.dueSince(
                Instant.parse("2026-11-25T01:05:00Z"), Instant.parse("2026-11-25T01:09:59Z")))
        .isEmpty();
  }

  @Test
  void afterDowntimeOnlyTheLatestMissedSlotIsDue() throws Exception {
    var schedule = BackupScheduling.parse("0 * * * *", "UTC");
    assertThat(schedule.dueSince(T0, Instant.parse("2026-11-25T07:30:00Z")))
        .contains(Instant.parse("2026-11-25T07:00:00Z"));
  }

  @Test
  void timeZonesShiftTheSlots() throws Exception {
    var schedule = BackupScheduling.parse("0 2 * * *", "Europe/Paris");
    assertThat(schedule.nextAfter(T0)).contains(Instant.parse("2026-11-26T01:00:00Z"));
  }

  @Test
  void invalidExpressionsAndZonesNameTheField() {
    assertThatThrownBy(() -> BackupScheduling.parse("every night", "UTC"))
        .hasMessageContaining("spec.schedule")
        .hasMessageContaining("0 2 * * *");
    assertThatThrownBy(() -> BackupScheduling.parse("0 2 * * *", "Mars/Olympus"))
        .hasMessageContaining("spec.timeZone");
  }

  @Test
  void keepLastPrunesOlderSuccessesAndSupersededFailures() {
    List<BackupScheduling.Kept> backups =
        List.of(
            kept("b1", 1, true, true),
            kept("b2", 2, true, false),
            kept("b3", 3, true, true),
            kept("b4", 4, true, true),
            kept("b5", 5, false, false));
    BackupRetention retention = new BackupRetention();
    retention.keepLast = 2;
    assertThat(BackupScheduling.toPrune(backups, retention, T0))
        .containsExactlyInAnyOrder("b1", "b2");
  }

  @Test
  void maxAgeNeverRemovesTheNewestSuccessfulBackup() {
    List<BackupScheduling.Kept> backups =
        List.of(kept("old-success", 1, true, true), kept("old-failure", 2, true, false));
    BackupRetention retention = new BackupRetention();
    retention.maxAge = "1h";
    Instant muchLater = T0.plus(Duration.ofDays(10));
    assertThat(BackupScheduling.toPrune(backups, retention, muchLater))
        .containsExactly("old-failure");
  }

  @Test
  void noRetentionKeepsEverything() {
    assertThat(
            BackupScheduling.toPrune(
                List.of(kept("a", 1, true, true), kept("b", 2, true, false)), null, T0))
        .isEmpty();
  }

  @Test
  void maxAgeUnits() {
    assertThat(BackupScheduling.maxAge("90m")).contains(Duration.ofMinutes(90));
    assertThat(BackupScheduling.maxAge("12h")).contains(Duration.ofHours(12));
    assertThat(BackupScheduling.maxAge("30d")).contains(Duration.ofDays(30));
  }

  @Test
  void sameDatabaseComparesTheServerOrTheConnection() {
    assertThat(
            BackupScheduling.sameDatabase(
                DatabaseSource.ofServer("om"), DatabaseSource.ofServer("om")))
        .isTrue();
    assertThat(
            BackupScheduling.sameDatabase(
                DatabaseSource.ofServer("om"), DatabaseSource.ofServer("other")))
        .isFalse();
  }

  private static BackupScheduling.Kept kept(
      String name, int minute, boolean finished, boolean succeeded) {
    return new BackupScheduling.Kept(name, T0.plusSeconds(60L * minute), finished, succeeded);
  }
}
