package io.metadataops.upgrade;

import java.util.Locale;

/**
 * Why an upgrade stopped. Grouped by where it can happen, because that decides what was touched:
 * validation refusals leave everything as it was ({@code Stalled}), a failed pre-flight or
 * rehearsal too ({@code Failed}), later failures roll back when they can.
 */
public enum FailureReason {
  // Validation: nothing was changed.
  UNPARSEABLE_VERSION,
  DOWNGRADE,
  INTERMEDIATE_VERSION_REQUIRED,
  INVALID_IMAGE,
  SERVER_DEPLOYMENT_NOT_FOUND,
  SERVER_SCALED_TO_ZERO,
  INGESTION_DEPLOYMENT_NOT_FOUND,
  INGESTION_NOT_ALIGNED,
  CONFLICTING_UPGRADE,
  BACKUP_DISABLED_WITHOUT_ACKNOWLEDGEMENT,
  PRE_FLIGHT_DISABLED_WITHOUT_ACKNOWLEDGEMENT,
  DATABASE_INSPECTION_FAILED,
  SYNC_WOULD_UNDO_UPGRADE,
  PREVIOUSLY_FAILED,
  REHEARSAL_WITHOUT_PRE_FLIGHT,
  SEARCH_WORKLOAD_NOT_FOUND,
  REQUIREMENT_NOT_MET,
  // Pre-flight and rehearsal, while the server still serves: nothing was changed.
  PRE_FLIGHT_FAILED,
  REHEARSAL_FAILED,
  // Backup: nothing was changed either; no migration runs without a backup.
  BACKUP_FAILED,
  // After the backup: the server was scaled down and the database may be half-migrated.
  MIGRATION_FAILED,
  MIGRATION_TIMEOUT,
  /** The migration Job exited 0 but the change log does not show the target fully migrated. */
  MIGRATION_INCOMPLETE,
  /** The migration Job exited 0 but the change log could not be read to check it. */
  MIGRATION_CHECK_FAILED,
  ROLLOUT_FAILED,
  ROLLOUT_TIMEOUT,
  VERIFICATION_FAILED,
  // After the upgrade succeeded: the data is fine, only search is incomplete.
  REINDEX_FAILED,
  // The rollback itself: a person must act.
  ROLLBACK_FAILED;

  /** The Kubernetes condition reason: UpperCamelCase, e.g. {@code MigrationTimeout}. */
  public String conditionReason() {
    StringBuilder reason = new StringBuilder();
    for (String word : name().split("_")) {
      reason.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return reason.toString();
  }
}
