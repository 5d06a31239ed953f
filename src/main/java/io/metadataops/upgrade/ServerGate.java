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
 */
public record ServerGate(Optional<String> allowedImage, String reason) {

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
      case AWAITING_APPROVAL, PRE_FLIGHT -> Optional.of(previous);
      case SCALING_DOWN, BACKING_UP, MIGRATING -> Optional.of(closed);
      case ROLLING_OUT, VERIFYING, SUCCEEDED -> Optional.of(target);
      case ROLLING_BACK ->
          Optional.of(
              progress.rollbackStep().map(ServerGate::redeploying).orElse(false)
                  ? only(plan.previousImage(), upgrade + " restored the database to " + plan.from())
                  : closed);
      case ROLLED_BACK ->
          Optional.of(only(plan.previousImage(), upgrade + " rolled back to " + plan.from()));
      case FAILED ->
          Optional.of(
              progress.failure().map(Failure::beforeMigration).orElse(true)
                      && progress.rollbackFailure().isEmpty()
                  ? previous
                  : new ServerGate(
                      Optional.empty(),
                      upgrade
                          + " failed and could not restore the database: no server may run until"
                          + " a person has read its status"));
    };
  }

  private static boolean redeploying(RollbackStep step) {
    return step.ordinal() >= RollbackStep.REDEPLOYING.ordinal();
  }

  private static ServerGate only(String image, String reason) {
    return new ServerGate(Optional.of(image), reason + ": only " + image + " may run");
  }
}
