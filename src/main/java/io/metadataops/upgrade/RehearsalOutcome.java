package io.metadataops.upgrade;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the rehearsal migration on the scratch copy ended, recorded in status before the scratch
 * database is dropped, so the outcome survives the drop and a restart.
 *
 * @param message what the migration did, for the status and the final message
 * @param migrationTime how long the migration Job ran, when it succeeded
 */
public record RehearsalOutcome(boolean passed, String message, Optional<Duration> migrationTime) {

  public RehearsalOutcome {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(migrationTime, "migrationTime");
  }
}
