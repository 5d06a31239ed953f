package io.metadataops.upgrade;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one thing the controller does next. Cluster actions are idempotent given the observations:
 * the planner only asks for a child when it observed none, so repeating an action after a crash is
 * harmless. Only {@link Transition} changes the status; the controller applies the action, then the
 * next reconciliation observes its effect.
 */
public sealed interface UpgradeAction {

  /** A short description for events, logs and the pause message. */
  String description();

  /** Run the read-only database inspection Job that reports the schema version. */
  record CreateInspection() implements UpgradeAction {
    @Override
    public String description() {
      return "inspect the database";
    }
  }

  /** Create the {@code MetadataBackup} of this attempt. */
  record CreateBackup() implements UpgradeAction {
    @Override
    public String description() {
      return "back up the database";
    }
  }

  /**
   * Create the pre-flight {@code MetadataBackup} of this attempt: a backup of the serving database,
   * verified by restore into a scratch database.
   */
  record CreatePreFlightBackup() implements UpgradeAction {
    @Override
    public String description() {
      return "back up the serving database and verify the dump by restore";
    }
  }

  /**
   * Create the engine Job of the rehearsal that restores the verified pre-flight dump into a new
   * scratch database and keeps it.
   */
  record CreateRehearsalRestore() implements UpgradeAction {
    @Override
    public String description() {
      return "restore the pre-flight dump into a scratch database";
    }
  }

  /**
   * Create the rehearsal's migration Job: as {@link CreateMigrationJob}, on the scratch database
   * instead of the server's.
   */
  record CreateRehearsalMigrationJob(String image, MigrationCommand command)
      implements UpgradeAction {
    public CreateRehearsalMigrationJob {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(command, "command");
    }

    @Override
    public String description() {
      return "rehearse the migration on the scratch database with " + image;
    }
  }

  /** Create the engine Job that drops the rehearsal's scratch database. */
  record DropRehearsalScratch() implements UpgradeAction {
    @Override
    public String description() {
      return "drop the rehearsal's scratch database";
    }
  }

  /** Set the server Deployment's replicas to zero. */
  record ScaleDown() implements UpgradeAction {
    @Override
    public String description() {
      return "scale the server down to 0 replicas";
    }
  }

  /**
   * Create the migration Job: {@code image}, the server pod's environment and volumes, {@code
   * command} in {@code command.workingDir()}, no retries.
   */
  record CreateMigrationJob(String image, MigrationCommand command) implements UpgradeAction {
    public CreateMigrationJob {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(command, "command");
    }

    @Override
    public String description() {
      return "migrate the database with " + image + ": " + String.join(" ", command.command());
    }
  }

  /**
   * Run the read-only inspection of the change log after the migration Job exited 0 (the same
   * inspection as {@link CreateInspection}, a Job of its own).
   */
  record CreateMigrationCheck() implements UpgradeAction {
    @Override
    public String description() {
      return "check the change log of the migrated database";
    }
  }

  /**
   * Create the Job that rebuilds the search indexes: {@code image} with the server container's
   * environment and volumes, in the pod shape of the migration Job.
   */
  record CreateReindexJob(String image, MigrationCommand command) implements UpgradeAction {
    public CreateReindexJob {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(command, "command");
    }

    @Override
    public String description() {
      return "rebuild the search indexes with "
          + image
          + ": "
          + String.join(" ", command.command());
    }
  }

  /**
   * Delete the migration Job with foreground propagation, so it stays observable (as running) until
   * its pod is gone. Repeating it while the deletion is under way is harmless.
   */
  record DeleteMigrationJob() implements UpgradeAction {
    @Override
    public String description() {
      return "stop the migration Job";
    }
  }

  /**
   * Set the server image and replica count (and the ingestion image when aligned) in one update, so
   * a single rollout follows.
   */
  record SetImages(String serverImage, Optional<String> ingestionImage, int replicas)
      implements UpgradeAction {
    public SetImages {
      Objects.requireNonNull(serverImage, "serverImage");
      Objects.requireNonNull(ingestionImage, "ingestionImage");
    }

    @Override
    public String description() {
      return "run "
          + serverImage
          + " with "
          + replicas
          + " replica(s)"
          + ingestionImage.map(i -> " and ingestion " + i).orElse("");
    }
  }

  /** Create the {@code MetadataRestore} of {@code backupName}, dropping the existing tables. */
  record CreateRestore(String backupName) implements UpgradeAction {
    public CreateRestore {
      Objects.requireNonNull(backupName, "backupName");
    }

    @Override
    public String description() {
      return "restore backup " + backupName;
    }
  }

  /**
   * Record {@code progress} in status. A transition into a failure phase carries the failure: the
   * controller may emit a Warning event for it.
   */
  record Transition(UpgradeProgress progress) implements UpgradeAction {
    public Transition {
      Objects.requireNonNull(progress, "progress");
    }

    @Override
    public String description() {
      return "enter "
          + progress.phase().value()
          + progress.rollbackStep().map(s -> " (" + s + ")").orElse("");
    }
  }

  /**
   * Nothing to do until something changes.
   *
   * @param recheckAfter when to reconcile again even without an event (a timeout falls due, a probe
   *     repeats); empty when an event will come (a child finishes, the spec changes)
   */
  record Wait(WaitReason reason, String message, Optional<Duration> recheckAfter)
      implements UpgradeAction {
    public Wait {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(recheckAfter, "recheckAfter");
    }

    @Override
    public String description() {
      return message;
    }
  }

  /** Nothing to do: the upgrade is finished, or waits for a spec change (dry run, refusal). */
  record Idle() implements UpgradeAction {
    @Override
    public String description() {
      return "nothing to do";
    }
  }

  enum WaitReason {
    PAUSED,
    INSPECTING_DATABASE,
    AWAITING_APPROVAL,
    PRE_FLIGHT_RUNNING,
    REHEARSAL_RUNNING,
    BACKUP_RUNNING,
    SERVER_PODS_TERMINATING,
    MIGRATION_RUNNING,
    MIGRATION_CHECK_RUNNING,
    ROLLOUT_PROGRESSING,
    AWAITING_GIT,
    VERSION_NOT_YET_REPORTED,
    MIGRATION_JOB_STOPPING,
    RESTORE_RUNNING,
    REINDEX_RUNNING
  }
}
