package io.metadataops.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.BackupVerification;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSpec;
import io.metadataops.api.MetadataBackupStatus;
import io.metadataops.backup.Summary;
import io.metadataops.conditions.ConditionTypes;
import io.metadataops.controller.Conditions;
import io.metadataops.k8s.JobOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BackupVerificationsTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T04:00:00Z"), ZoneOffset.UTC);

  @Test
  void theScratchDatabaseIsTheSpecsOrNamedAfterTheUid() {
    MetadataBackup backup = backup(null);
    assertThat(BackupVerifications.scratchDatabase(backup)).isEqualTo("mdverify_3f2a9c1e0b7d");
    backup.getSpec().verify.scratchDatabase = "om_check";
    assertThat(BackupVerifications.scratchDatabase(backup)).isEqualTo("om_check");
    backup.getSpec().verify.enabled = false;
    assertThat(BackupVerifications.requested(backup)).isFalse();
  }

  @Test
  void aBackupStaysRunningWhileItsDumpIsVerified() {
    MetadataBackupStatus status = verifying();
    assertThat(status.phase).isEqualTo(BackupPhase.Running);
    assertThat(condition(status, BackupVerifications.VERIFIED).getStatus()).isEqualTo("Unknown");
    assertThat(status.message).contains("backup-verify").contains("mdverify_x");

    assertThat(BackupVerifications.apply(status, 1, new JobOutcome.Running(0), CLOCK)).isEmpty();
    assertThat(status.phase).isEqualTo(BackupPhase.Running);
  }

  @Test
  void aPassedVerificationSucceedsTheBackupWithItsDuration() {
    MetadataBackupStatus status = verifying();
    Summary verified =
        Summary.started("verify", CLOCK.instant()).succeeded(CLOCK.instant().plusSeconds(42));
    Optional<BackupPhase> entered =
        BackupVerifications.apply(
            status, 1, new JobOutcome.Succeeded(Optional.of(verified)), CLOCK);

    assertThat(entered).contains(BackupPhase.Succeeded);
    assertThat(status.verification.durationSeconds).isEqualTo(42.0);
    assertThat(condition(status, BackupVerifications.VERIFIED).getStatus()).isEqualTo("True");
    assertThat(condition(status, ConditionTypes.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void aFailedVerificationFailsTheBackupAndKeepsTheDump() {
    MetadataBackupStatus status = verifying();
    Optional<BackupPhase> entered =
        BackupVerifications.apply(
            status,
            1,
            new JobOutcome.Failed("MISMATCH", "t content checksum differs", 1, Optional.empty()),
            CLOCK);

    assertThat(entered).contains(BackupPhase.Failed);
    Condition failed = condition(status, ConditionTypes.FAILED);
    assertThat(failed.getReason()).isEqualTo("VerificationFailed");
    assertThat(condition(status, BackupVerifications.VERIFIED).getStatus()).isEqualTo("False");
    assertThat(status.error).isEqualTo("MISMATCH: t content checksum differs");
    assertThat(status.message).contains("kept for inspection").contains("/backups/x.sql.gz");
  }

  private static MetadataBackupStatus verifying() {
    MetadataBackupStatus status = new MetadataBackupStatus();
    status.phase = BackupPhase.Running;
    status.location = "/backups/x.sql.gz";
    BackupVerifications.started(status, 1, "backup-verify", "mdverify_x", CLOCK);
    return status;
  }

  private static MetadataBackup backup(String scratch) {
    MetadataBackup backup = new MetadataBackup();
    backup.getMetadata().setName("backup");
    backup.getMetadata().setUid("3F2A9C1E-0B7D-4C55-9E10-1234567890AB");
    backup.setSpec(new MetadataBackupSpec());
    backup.getSpec().verify = new BackupVerification();
    backup.getSpec().verify.enabled = true;
    backup.getSpec().verify.scratchDatabase = scratch;
    return backup;
  }

  private static Condition condition(MetadataBackupStatus status, String type) {
    return Conditions.find(status, type).orElseThrow();
  }
}
