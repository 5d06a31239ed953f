package io.metadataops.controller.backup;

import static io.metadataops.conditions.ConditionStatus.FALSE;
import static io.metadataops.conditions.ConditionStatus.TRUE;
import static io.metadataops.conditions.ConditionTypes.FAILED;
import static io.metadataops.conditions.ConditionTypes.READY;
import static io.metadataops.conditions.ConditionTypes.RECONCILING;
import static io.metadataops.conditions.ConditionTypes.STALLED;
import static io.metadataops.conditions.ConditionTypes.SUCCEEDED;

import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupStatus;
import io.metadataops.api.VerificationStatus;
import io.metadataops.conditions.ConditionStatus;
import io.metadataops.controller.Conditions;
import io.metadataops.k8s.JobOutcome;
import io.metadataops.k8s.KubernetesNames;
import java.time.Clock;
import java.util.Optional;

/**
 * The verification by restore of a backup (spec.verify): the backup stays Running until its dump
 * has been restored into a scratch database and compared with the manifest. Pure: unit-tested
 * without a cluster.
 */
final class BackupVerifications {

  static final String VERIFIED = "Verified";
  static final String REASON_VERIFYING = "Verifying";
  static final String REASON_VERIFIED = "VerifiedByRestore";
  static final String REASON_FAILED = "VerificationFailed";

  private BackupVerifications() {}

  static boolean requested(MetadataBackup backup) {
    return backup.getSpec().verify != null && backup.getSpec().verify.enabled;
  }

  /** The scratch database: the spec's, else one named after this resource's uid. */
  static String scratchDatabase(MetadataBackup backup) {
    String given = backup.getSpec().verify.scratchDatabase;
    if (given != null && !given.isBlank()) {
      return given;
    }
    return KubernetesNames.scratchDatabase("mdverify_", backup);
  }

  /** The backup Job succeeded and the verification Job {@code jobName} was created. */
  static void started(
      MetadataBackupStatus status, long generation, String jobName, String scratch, Clock clock) {
    VerificationStatus verification = new VerificationStatus();
    verification.jobName = jobName;
    verification.scratchDatabase = scratch;
    verification.startTime = Conditions.now(clock);
    status.verification = verification;
    status.message =
        "dump written (%s); Job %s verifies it by restore into scratch database %s"
            .formatted(status.location, jobName, scratch);
    Conditions.writer(status, generation, clock)
        .set(VERIFIED, ConditionStatus.UNKNOWN, REASON_VERIFYING, status.message)
        .set(RECONCILING, TRUE, REASON_VERIFYING, status.message);
  }

  /** Applies what the verification Job did; the phase the backup entered, or empty meanwhile. */
  static Optional<BackupPhase> apply(
      MetadataBackupStatus status, long generation, JobOutcome outcome, Clock clock) {
    Conditions.Writer conditions = Conditions.writer(status, generation, clock);
    VerificationStatus verification = status.verification;
    if (outcome instanceof JobOutcome.Running) {
      return Optional.empty();
    }
    verification.completionTime = Conditions.now(clock);
    status.completionTime = verification.completionTime;
    if (outcome instanceof JobOutcome.Succeeded succeeded) {
      verification.durationSeconds = succeeded.summary().map(s -> s.durationSeconds()).orElse(null);
      status.phase = BackupPhase.Succeeded;
      status.error = null;
      status.message =
          "Backup succeeded and verified by restore into %s: %s"
              .formatted(verification.scratchDatabase, status.location);
      conditions
          .set(VERIFIED, TRUE, REASON_VERIFIED, status.message)
          .set(SUCCEEDED, TRUE, REASON_VERIFIED, status.message)
          .set(READY, TRUE, REASON_VERIFIED, status.message)
          .set(RECONCILING, FALSE, REASON_VERIFIED, status.message);
      return Optional.of(BackupPhase.Succeeded);
    }
    JobOutcome.Failed failed = (JobOutcome.Failed) outcome;
    status.phase = BackupPhase.Failed;
    status.error = "%s: %s".formatted(failed.reason(), failed.message());
    status.message =
        ("Verification by restore into %s failed (%s); the dump %s is kept for inspection")
            .formatted(verification.scratchDatabase, status.error, status.location);
    conditions
        .set(VERIFIED, FALSE, REASON_FAILED, status.message)
        .set(FAILED, TRUE, REASON_FAILED, status.message)
        .set(READY, FALSE, REASON_FAILED, status.message)
        .set(RECONCILING, FALSE, REASON_FAILED, status.message)
        .set(STALLED, TRUE, REASON_FAILED, status.message);
    return Optional.of(BackupPhase.Failed);
  }
}
