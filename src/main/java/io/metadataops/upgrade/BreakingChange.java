package io.metadataops.upgrade;

import java.util.Objects;

/**
 * One breaking change of an OpenMetadata minor line.
 *
 * @param id stable identifier {@code <minor>/<slug>}, the value listed in {@code approvedChanges}
 * @param summary what changed
 * @param action what the person running the platform must do
 * @param requiresApproval true when a human must act or decide outside the operator
 * @param reindex true when the search indexes must be rebuilt after an upgrade that crosses it
 */
public record BreakingChange(
    String id, String summary, String action, boolean requiresApproval, boolean reindex) {

  /** A change that leaves the search indexes as they are. */
  public BreakingChange(String id, String summary, String action, boolean requiresApproval) {
    this(id, summary, action, requiresApproval, false);
  }

  public BreakingChange {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(action, "action");
  }
}
