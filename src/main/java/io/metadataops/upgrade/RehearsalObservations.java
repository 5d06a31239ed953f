package io.metadataops.upgrade;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The children of a rehearsal: the engine Job that restores the pre-flight dump into the scratch
 * database, the migration Job that migrates it, and the engine Job that drops it.
 *
 * @param migrationTime how long the migration Job ran, once it succeeded
 */
public record RehearsalObservations(
    ChildStatus restore,
    ChildStatus migration,
    Optional<Duration> migrationTime,
    ChildStatus drop) {

  public static final RehearsalObservations NONE =
      new RehearsalObservations(
          ChildStatus.ABSENT, ChildStatus.ABSENT, Optional.empty(), ChildStatus.ABSENT);

  /** Every component is required: {@code List.of} refuses a null one. */
  public RehearsalObservations {
    List.of(restore, migration, migrationTime, drop);
  }
}
