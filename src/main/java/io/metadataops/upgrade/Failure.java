package io.metadataops.upgrade;

import java.time.Instant;
import java.util.Objects;

/**
 * A failure as recorded in status.
 *
 * @param phase the phase that failed; during a rollback, {@link UpgradePhase#ROLLING_BACK}
 * @param message what happened, what state things are in and what a person should do
 */
public record Failure(FailureReason reason, String message, UpgradePhase phase, Instant at) {

  public Failure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(at, "at");
  }

  /** True when the failure happened before any migration could have changed the database. */
  public boolean beforeMigration() {
    return phase.ordinal() < UpgradePhase.MIGRATING.ordinal();
  }
}
