package io.metadataops.upgrade;

/** The steps of phase {@link UpgradePhase#ROLLING_BACK}, in order. */
public enum RollbackStep {
  /** Stop the migration Job and scale the server to zero: nothing may write during the restore. */
  STOPPING_WRITERS,
  /** Restore the backup, dropping the half-migrated tables. Skipped when no migration started. */
  RESTORING,
  /**
   * Wait until Git applies the previous image(s) again (a revert), when Git had applied the
   * target's before the failure: setting them would fight a GitOps self-heal.
   */
  AWAITING_GIT,
  /** Put the previous image(s) and replica count back and wait for the rollout. */
  REDEPLOYING,
  /** Check that the server reports the previous version. */
  VERIFYING,
  /**
   * Rebuild the search indexes with the previous image, when the plan reindexes and the migration
   * ran: its last step updates the indexes, which the restore of the database did not undo.
   */
  REINDEXING
}
