package io.metadataops.upgrade;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The change log as an inspection read it after the migration Job exited 0. Upstream's {@code
 * migrate} has exited 0 with migrations skipped (patch releases of 1.x) or a step's error logged
 * and ignored, so the exit code alone does not prove the database is at the target.
 *
 * @param job the inspection Job run after the migration
 * @param schemaVersion the highest plain version the change log records (on 2.x: of the COMPLETED
 *     rows), once the inspection succeeded
 * @param unfinished 2.x change-log rows left STARTED or FAILED, as {@code "<version> <status>"}
 */
public record MigrationCheck(
    ChildStatus job, Optional<String> schemaVersion, List<String> unfinished) {

  public static final MigrationCheck ABSENT =
      new MigrationCheck(ChildStatus.ABSENT, Optional.empty(), List.of());

  public MigrationCheck {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(schemaVersion, "schemaVersion");
    unfinished = List.copyOf(unfinished);
  }

  /**
   * Why the change log does not show a finished migration to {@code target}; empty when it does. On
   * 2.x every row must be COMPLETED and the target recorded; on 1.x (no status column, so no
   * unfinished rows) the target recorded.
   */
  public Optional<String> problem(Version target) {
    if (!unfinished.isEmpty()) {
      return Optional.of(
          "the change log has migrations that did not complete: "
              + String.join(", ", unfinished)
              + " (a 2.x migration records STARTED, then COMPLETED or FAILED)");
    }
    if (schemaVersion.isEmpty()) {
      return Optional.of(
          "the change log records no version: SERVER_CHANGE_LOG is missing or empty");
    }
    boolean recorded = Version.tryParse(schemaVersion.get()).map(target::equals).orElse(false);
    return recorded
        ? Optional.empty()
        : Optional.of(
            "the change log records "
                + schemaVersion.get()
                + " as the latest migration, not the target "
                + target
                + ": migrations were skipped");
  }
}
