package io.metadataops.upgrade;

import java.time.Instant;
import java.util.Objects;

/** Everything the planner decides from: the spec, the recorded status, the cluster, the clock. */
public record UpgradeSnapshot(
    UpgradeSpec spec, UpgradeProgress progress, UpgradeObservations observed, Instant now) {

  public UpgradeSnapshot {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(observed, "observed");
    Objects.requireNonNull(now, "now");
  }
}
