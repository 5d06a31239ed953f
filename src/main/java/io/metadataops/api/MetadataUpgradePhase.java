package io.metadataops.api;

/**
 * {@code status.phase} of a MetadataUpgrade, as written to the API. The planner has its own enum of
 * the same values; a test keeps the two equal, and an unknown value fails loudly when read.
 */
public enum MetadataUpgradePhase {
  Pending,
  Validating,
  AwaitingApproval,
  PreFlight,
  Rehearsing,
  ScalingDown,
  BackingUp,
  Migrating,
  RollingOut,
  Verifying,
  Reindexing,
  RollingBack,
  Succeeded,
  Planned,
  RolledBack,
  Stalled,
  Failed
}
