package io.metadataops.upgrade;

import java.util.Optional;

/**
 * Which server image may start against the database, whatever applies the Deployment: a GitOps
 * sync, a {@code helm upgrade}, {@code kubectl rollout undo}. An admission policy shipped with the
 * operator refuses any other server pod. Without it, a sync that puts the previous image back would
 * start the previous server on the migrated database (old servers only check for pending
 * migrations, so it starts), and the new image's migrating init container could run before the
 * backup. The gate stays after the upgrade ends: it records which image matches the database.
 *
 * @param allowedImage the only server image that may start; empty while no server may run
 * @param reason why, for the person whose pod was refused
 * @param failedUpgrade the {@code from->to} pair whose migration failed: not run again unless a
 *     person says so, even by a re-created MetadataUpgrade
 */
public record ServerGate(
    Optional<String> allowedImage, String reason, Optional<String> failedUpgrade) {

  public ServerGate(Optional<String> allowedImage, String reason) {
    this(allowedImage, reason, Optional.empty());
  }

  /** The gate this progress needs; empty when the upgrade has not touched anything (yet). */
  public static Optional<ServerGate> desired(UpgradeProgress progress, String upgradeName) {
    if (progress.plan().isEmpty()) {
      return Optional.empty();
    }
    UpgradePlan plan = progress.plan().get();
    String upgrade = "MetadataUpgrade " + upgradeName;
    ServerGate previous =
        only(plan.previousImage(), upgrade + " has not migrated the database to " + plan.to());
    ServerGate target =
        only(plan.targetImage(), upgrade + " migrated the database to " + plan.to());
    ServerGate closed =
        new ServerGate(
            Optional.empty(),
            upgrade + " is backing up, migrating or restoring the database: no server may run");
    return switch (progress.phase()) {
      case PENDING, VALIDATING, STALLED, PLANNED -> Optional.empty();
      case AWAITING_APPROVAL, PRE_FLIGHT, REHEARSING -> Optional.of(previous);
      case SCALING_DOWN, BACKING_UP, MIGRATING -> Optional.of(closed);
      case ROLLING_OUT, VERIFYING, REINDEXING, SUCCEEDED -> Optional.of(target);
      case ROLLING_BACK ->
          Optional.of(
              failed(
                  progress,
                  progress.rollbackStep().map(ServerGate::restored).orElse(false)
                      ? only(
                          plan.previousImage(),
                          upgrade + " restored the database to " + plan.from())
                      : closed));
      case ROLLED_BACK ->
          Optional.of(
              failed(
                  progress,
                  only(plan.previousImage(), upgrade + " rolled back to " + plan.from())));
      case FAILED ->
          Optional.of(
              failed(
                  progress,
                  progress.failure().map(Failure::beforeMigration).orElse(true)
                          && progress.rollbackFailure().isEmpty()
                      ? previous
                      : new ServerGate(
                          Optional.empty(),
                          upgrade
                              + " failed and could not restore the database: no server may run"
                              + " until a person has read its status")));
    };
  }

  /** Records the pair when its migration ran: a failed backup or pre-flight may simply retry. */
  private static ServerGate failed(UpgradeProgress progress, ServerGate gate) {
    UpgradePlan plan = progress.plan().orElseThrow();
    boolean migrated = progress.failure().map(f -> !f.beforeMigration()).orElse(false);
    return migrated
        ? new ServerGate(
            gate.allowedImage(), gate.reason(), Optional.of(plan.from() + "->" + plan.to()))
        : gate;
  }

  private static boolean restored(RollbackStep step) {
    return step.ordinal() > RollbackStep.RESTORING.ordinal();
  }

  private static ServerGate only(String image, String reason) {
    return new ServerGate(Optional.of(image), reason + ": only " + image + " may run");
  }
}
