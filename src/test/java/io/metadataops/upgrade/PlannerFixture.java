package io.metadataops.upgrade;

import io.metadataops.upgrade.ServerDeployment.RolloutState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A mutable snapshot builder for planner tests: defaults describe a healthy 1.9.3 server with two
 * replicas, asked to go to 1.10.1 with every breaking change approved.
 */
final class PlannerFixture {

  static final BreakingChangeCatalogue CATALOGUE = BreakingChangeCatalogue.bundled();
  static final UpgradePlanner PLANNER = new UpgradePlanner(CATALOGUE);

  static final String REGISTRY = "docker.getcollate.io/openmetadata/";
  static final String CURRENT_IMAGE = REGISTRY + "server:1.9.3";
  static final String TARGET_IMAGE = REGISTRY + "server:1.10.1";
  static final String CURRENT_INGESTION = REGISTRY + "ingestion:1.9.3.0";
  static final String TARGET_INGESTION = REGISTRY + "ingestion:1.10.1";
  static final String BACKUP = "upgrade-backup-1";
  static final String SERVER = "openmetadata";
  static final long SORT_BUFFER = 20L * 1024 * 1024;
  static final Instant STARTED = Instant.parse("2026-01-01T10:00:00Z");
  static final StepTimeouts TIMEOUTS =
      new StepTimeouts(Duration.ofMinutes(60), Duration.ofMinutes(10), Duration.ofMinutes(5));

  long generation = 1;
  String targetVersion = "1.10.1";
  Optional<String> targetImage = Optional.empty();
  Set<String> approvedChanges = Set.of("1.10/entity-status");
  boolean backupEnabled = true;
  boolean backupDisabledAcknowledged = false;
  boolean preFlightEnabled = true;
  boolean preFlightDisabledAcknowledged = false;
  boolean rehearsalEnabled = false;
  boolean rollbackEnabled = true;
  boolean paused = false;
  boolean dryRun = false;
  boolean alignIngestion = false;
  Optional<List<String>> migrationCommand = Optional.empty();
  Manager upgradeManager = new Manager.None();
  Optional<String> retryFailedUpgrade = Optional.empty();
  Optional<String> failedUpgrade = Optional.empty();
  boolean checksSearch = false;
  UpgradeSpec.ReindexPolicy reindex = UpgradeSpec.ReindexPolicy.AUTO;
  Optional<String> ingestionOverride = Optional.empty();
  IngestionImages.TagForm tagForm = IngestionImages.TagForm.AUTO;
  Optional<String> ingestionSecret = Optional.empty();

  UpgradeProgress progress = UpgradeProgress.pending();

  Optional<ServerDeployment> server =
      Optional.of(new ServerDeployment(CURRENT_IMAGE, 2, 2, RolloutState.COMPLETE));

  /** The image of the one ingestion Deployment, "ingestion", when aligned; empty: it is missing. */
  Optional<String> ingestionImage = Optional.empty();

  /** Set to align several ingestion Deployments; wins over {@link #ingestionImage}. */
  List<IngestionWorkload> ingestion = null;

  Optional<String> conflictingUpgrade = Optional.empty();
  ChildStatus inspection = ChildStatus.succeeded("upgrade-inspect-1");
  Optional<String> databaseSchemaVersion = Optional.of("1.9.3");
  Optional<DatabaseServer> databaseServer =
      Optional.of(
          new DatabaseServer(
              "mysql", "8.0.42", Optional.of(SORT_BUFFER), Optional.of("mysql://db:3306/om")));
  Optional<String> searchImage = Optional.empty();
  ChildStatus preFlight = ChildStatus.ABSENT;
  RehearsalObservations rehearsal = RehearsalObservations.NONE;
  ChildStatus backup = ChildStatus.ABSENT;
  ChildStatus migration = ChildStatus.ABSENT;
  MigrationCheck migrationCheck = MigrationCheck.ABSENT;
  ChildStatus restore = ChildStatus.ABSENT;
  ChildStatus reindexJob = ChildStatus.ABSENT;
  VersionProbe versionProbe = VersionProbe.NOT_PROBED;
  Instant now = STARTED.plusSeconds(1);

  UpgradeSpec spec() {
    return new UpgradeSpec(
        generation,
        targetVersion,
        targetImage,
        approvedChanges,
        backupEnabled,
        backupDisabledAcknowledged,
        preFlightEnabled,
        preFlightDisabledAcknowledged,
        rehearsalEnabled,
        rollbackEnabled,
        paused,
        dryRun,
        alignIngestion,
        migrationCommand,
        TIMEOUTS,
        upgradeManager,
        retryFailedUpgrade,
        SERVER,
        checksSearch,
        reindex,
        ingestionOverride,
        tagForm,
        ingestionSecret);
  }

  UpgradeSnapshot snapshot() {
    return new UpgradeSnapshot(
        spec(),
        progress,
        new UpgradeObservations(
            server,
            ingestion != null
                ? ingestion
                : alignIngestion
                    ? List.of(new IngestionWorkload("ingestion", ingestionImage))
                    : List.of(),
            conflictingUpgrade,
            inspection,
            databaseSchemaVersion,
            databaseServer,
            searchImage,
            preFlight,
            rehearsal,
            backup,
            migration,
            migrationCheck,
            restore,
            reindexJob,
            versionProbe,
            failedUpgrade),
        now);
  }

  UpgradeAction next() {
    return PLANNER.next(snapshot());
  }

  PlannerFixture server(String image, int replicas, int pods, RolloutState rollout) {
    server = Optional.of(new ServerDeployment(image, replicas, pods, rollout));
    return this;
  }

  /** Validates with the current settings and records the resulting plan, in phase Validating. */
  PlannerFixture validated() {
    progress = UpgradeProgress.newAttempt(generation, STARTED, "");
    UpgradeAction action = next();
    if (!(action instanceof UpgradeAction.Transition transition)
        || transition.progress().plan().isEmpty()) {
      throw new AssertionError("validation did not produce a plan: " + action);
    }
    progress = transition.progress().enter(UpgradePhase.VALIDATING, STARTED, "");
    return this;
  }

  /** A validated attempt in {@code phase} since {@link #STARTED}, backup taken if it is due. */
  PlannerFixture in(UpgradePhase phase) {
    if (progress.plan().isEmpty()) {
      validated();
    }
    if (backupEnabled && phase.ordinal() > UpgradePhase.BACKING_UP.ordinal()) {
      progress = progress.withBackup(BACKUP);
    }
    progress = progress.enter(phase, STARTED, "");
    return this;
  }

  /** Rolling back, at {@code step} since {@link #STARTED}, after a failure in {@code failed}. */
  PlannerFixture rollingBack(RollbackStep step, UpgradePhase failed) {
    in(failed);
    Failure failure =
        new Failure(FailureReason.MIGRATION_FAILED, "The migration failed.", failed, STARTED);
    progress = progress.withFailure(failure).enter(step, STARTED, "");
    return this;
  }

  PlannerFixture after(Duration elapsed) {
    now = STARTED.plus(elapsed);
    return this;
  }
}
