package io.metadataops.upgrade;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the steps that wait on the server may take before they count as failed. The migration
 * timeout must fit the database: the 1.1 hash migration alone takes hours on big installs.
 */
public record StepTimeouts(Duration migration, Duration rollout, Duration verification) {

  public static final StepTimeouts DEFAULTS =
      new StepTimeouts(Duration.ofHours(2), Duration.ofMinutes(15), Duration.ofMinutes(5));

  public StepTimeouts {
    Objects.requireNonNull(migration, "migration");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(verification, "verification");
  }
}
