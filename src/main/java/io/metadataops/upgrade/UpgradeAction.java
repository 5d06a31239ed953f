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

  /** The actions that need nothing but the resource: their meaning is in their name. */
  enum Simple implements UpgradeAction {
    /** Run the read-only database inspection Job that reports the schema version. */
    CREATE_INSPECTION("inspect the database"),

    /** Create the {@code MetadataBackup} of this attempt. */
    CREATE_BACKUP("back up the database"),

    /**
     * Create the pre-flight {@code MetadataBackup} of this attempt: a backup of the serving
     * database, verified by restore into a scratch database.
     */
    CREATE_PRE_FLIGHT_BACKUP("back up the serving database and verify the dump by restore"),

    /**
     * Create the engine Job of the rehearsal that restores the verified pre-flight dump into a new
     * scratch database and keeps it.
     */
    CREATE_REHEARSAL_RESTORE("restore the pre-flight dump into a scratch database"),

    /** Create the engine Job that drops the rehearsal's scratch database. */
    DROP_REHEARSAL_SCRATCH("drop the rehearsal's scratch database"),

    /** Set the server Deployment's replicas to zero. */
    SCALE_DOWN("scale the server down to 0 replicas"),

    /**
     * Run the read-only inspection of the change log after the migration Job exited 0 (the same
     * inspection as {@link Simple#CREATE_INSPECTION}, a Job of its own).
     */
    CREATE_MIGRATION_CHECK("check the change log of the migrated database"),

    /**
     * Delete the migration Job with foreground propagation, so it stays observable (as running)
     * until its pod is gone. Repeating it while the deletion is under way is harmless.
     */
    DELETE_MIGRATION_JOB("stop the migration Job");

    private final String description;

    Simple(String description) {
      this.description = description;
    }

    @Override
    public String description() {
      return description;
    }
  }

  /** What a Job of the server image in the server pod's shape is for. */
  enum ServerImageJob {
    /** The migration, on the rehearsal's scratch database instead of the server's. */
    REHEARSAL,
    /** The migration of the server's database. */
    MIGRATION,
    /** The rebuild of the search indexes. */
    REINDEX
  }

  /**
   * Create a Job of {@code image} with the server pod's environment and volumes, running {@code
   * command} in {@code command.workingDir()}, no retries.
   */
  record CreateServerImageJob(ServerImageJob job, String image, MigrationCommand command)
      implements UpgradeAction {
    public CreateServerImageJob {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(command, "command");
    }

    @Override
    public String description() {
      String purpose =
          switch (job) {
            case REHEARSAL -> "rehearse the migration on the scratch database";
            case MIGRATION -> "migrate the database";
            case REINDEX -> "rebuild the search indexes";
          };
      return purpose + " with " + image + ": " + String.join(" ", command.command());
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
