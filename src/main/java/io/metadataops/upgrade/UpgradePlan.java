package io.metadataops.upgrade;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan fixed at validation and recorded in status: what will run, and what to put back on
 * rollback. A dry run stops after producing it.
 *
 * @param from the current version (database schema version when known)
 * @param previousServerVersion the version the previous image reports, checked after a rollback
 * @param previousReplicas the server's replica count before the upgrade, restored by the rollout
 * @param crossed the breaking-change entries between {@code from} and {@code to}
 * @param approvals the approval review at planning time
 * @param steps the forward phases this plan runs, in order
 * @param gitSource who applies the new images from Git (then the operator only waits for them),
 *     empty when the operator sets them
 * @param manualActions what a person must do once the target serves, because the operator cannot
 *     (it edits no Secret)
 */
public record UpgradePlan(
    Version from,
    Version to,
    Version previousServerVersion,
    String previousImage,
    Optional<String> previousIngestionImage,
    int previousReplicas,
    String targetImage,
    Optional<String> targetIngestionImage,
    MigrationCommand migration,
    List<CatalogueEntry> crossed,
    ApprovalReview approvals,
    List<PathWarning> warnings,
    List<UpgradePhase> steps,
    Optional<String> gitSource,
    List<String> manualActions) {

  public UpgradePlan {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(previousServerVersion, "previousServerVersion");
    Objects.requireNonNull(previousImage, "previousImage");
    Objects.requireNonNull(previousIngestionImage, "previousIngestionImage");
    Objects.requireNonNull(targetImage, "targetImage");
    Objects.requireNonNull(targetIngestionImage, "targetIngestionImage");
    Objects.requireNonNull(migration, "migration");
    crossed = List.copyOf(crossed);
    Objects.requireNonNull(approvals, "approvals");
    warnings = List.copyOf(warnings);
    steps = List.copyOf(steps);
    Objects.requireNonNull(gitSource, "gitSource");
    manualActions = List.copyOf(manualActions);
  }

  /** The forward phase after {@code phase} in this plan, {@code Succeeded} after the last. */
  public UpgradePhase phaseAfter(UpgradePhase phase) {
    int index = steps.indexOf(phase);
    return index >= 0 && index + 1 < steps.size() ? steps.get(index + 1) : UpgradePhase.SUCCEEDED;
  }

  /** True when the plan takes a backup, i.e. a failure after it can be rolled back. */
  public boolean backsUp() {
    return steps.contains(UpgradePhase.BACKING_UP);
  }
}
