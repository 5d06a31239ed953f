package io.metadataops.upgrade;

import java.util.Arrays;

/**
 * The phases of a {@code MetadataUpgrade}. Forward order: Pending, Validating, AwaitingApproval
 * (only with pending approvals), PreFlight (a backup of the serving database verified by restore
 * into a scratch database, unless disabled and acknowledged), Rehearsing (only when the spec asks:
 * the pre-flight dump migrated in a scratch database), ScalingDown, BackingUp (unless the backup is
 * disabled and acknowledged), Migrating, RollingOut, Verifying, Reindexing (only when planned),
 * Succeeded.
 *
 * <p>The backup a rollback restores is taken after the server has stopped: a backup taken while it
 * still served would miss every write acknowledged between the snapshot and the scale-down, and a
 * rollback would silently drop them. For the same reason approval comes before both: it can take
 * days.
 */
public enum UpgradePhase {
  PENDING("Pending"),
  VALIDATING("Validating"),
  AWAITING_APPROVAL("AwaitingApproval"),
  PRE_FLIGHT("PreFlight"),
  REHEARSING("Rehearsing"),
  SCALING_DOWN("ScalingDown"),
  BACKING_UP("BackingUp"),
  MIGRATING("Migrating"),
  ROLLING_OUT("RollingOut"),
  VERIFYING("Verifying"),
  /**
   * The search indexes are rebuilt ({@code openmetadata-ops.sh reindex}) when a crossed change
   * needs it or the spec asks. The upgrade has succeeded by then: a failure here rolls nothing
   * back, the data is fine and only search is incomplete.
   */
  REINDEXING("Reindexing"),
  ROLLING_BACK("RollingBack"),
  /** Terminal: the target version runs and reports itself. */
  SUCCEEDED("Succeeded"),
  /** Terminal: a dry run produced its plan and changed nothing. */
  PLANNED("Planned"),
  /** Terminal: the upgrade failed and the previous version runs again on the restored backup. */
  ROLLED_BACK("RolledBack"),
  /** Terminal: validation refused the upgrade; nothing was changed. */
  STALLED("Stalled"),
  /**
   * Terminal: the upgrade failed and could not be rolled back; the status message says the state.
   */
  FAILED("Failed");

  private final String value;

  UpgradePhase(String value) {
    this.value = value;
  }

  /** The value written to {@code status.phase}. */
  public String value() {
    return value;
  }

  /**
   * Reads a {@code status.phase} value; an absent value means a fresh upgrade. An unknown one is a
   * status written by another version of the operator: guessing would restart a half-done upgrade.
   */
  public static UpgradePhase fromValue(String value) {
    if (value == null) {
      return PENDING;
    }
    return Arrays.stream(values())
        .filter(p -> p.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown upgrade phase '" + value + "'"));
  }

  public boolean isTerminal() {
    return ordinal() >= SUCCEEDED.ordinal();
  }
}
