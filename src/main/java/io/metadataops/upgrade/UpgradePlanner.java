package io.metadataops.upgrade;

import io.metadataops.upgrade.ChildStatus.ChildState;
import io.metadataops.upgrade.UpgradeAction.CreateRestore;
import io.metadataops.upgrade.UpgradeAction.CreateServerImageJob;
import io.metadataops.upgrade.UpgradeAction.Idle;
import io.metadataops.upgrade.UpgradeAction.ServerImageJob;
import io.metadataops.upgrade.UpgradeAction.SetImages;
import io.metadataops.upgrade.UpgradeAction.Simple;
import io.metadataops.upgrade.UpgradeAction.Transition;
import io.metadataops.upgrade.UpgradeAction.Wait;
import io.metadataops.upgrade.UpgradeAction.WaitReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The upgrade state machine as a pure function: {@link #next} looks at a snapshot and returns the
 * single next action. The controller reads the cluster, calls {@code next}, applies the action and
 * reconciles again; it keeps no state of its own, so a restarted operator resumes where the status
 * says.
 *
 * <p>Steps are recorded before they act: entering a phase is a {@link Transition} of its own, and
 * the step's work (create a child, scale, set images) follows in later calls, each decided from
 * what is observed. A child that already exists is waited on, never created again; a finished one
 * moves the upgrade on.
 */
public final class UpgradePlanner {

  /** The id (after the target minor) of the item that a chart migrating with --force raises. */
  public static final String FORCED_MIGRATIONS = "chart-migrate-force";

  /** How often to look again when no event will say that something changed (probes, pods). */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(10);

  private final BreakingChangeCatalogue catalogue;

  public UpgradePlanner(BreakingChangeCatalogue catalogue) {
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
  }

  /** A planner with the catalogue shipped in the operator. */
  public static final String HELM_VALUES = "helm-values";

  public static UpgradePlanner withBundledCatalogue() {
    return new UpgradePlanner(BreakingChangeCatalogue.bundled());
  }

  /**
   * The version the server should report now, when the current step verifies one: the controller
   * probes the version endpoint only then and passes the answer in {@link
   * UpgradeObservations#versionProbe()}.
   */
  public static Optional<Version> expectedVersion(UpgradeProgress progress) {
    boolean verifyingRollback =
        progress.phase() == UpgradePhase.ROLLING_BACK
            && progress.rollbackStep().equals(Optional.of(RollbackStep.VERIFYING));
    if (progress.phase() == UpgradePhase.VERIFYING) {
      return progress.plan().map(UpgradePlan::to);
    }
    return verifyingRollback
        ? progress.plan().map(UpgradePlan::previousServerVersion)
        : Optional.empty();
  }

  /** The next action; while the spec is paused, a wait that names it instead. */
  public UpgradeAction next(UpgradeSnapshot snapshot) {
    UpgradeAction action = decide(snapshot);
    if (snapshot.spec().paused() && !(action instanceof Idle)) {
      // Pausing stops before the next step; a Job already running keeps running.
      return new Wait(
          WaitReason.PAUSED,
          "Paused by the spec; when resumed: " + action.description() + ".",
          Optional.empty());
    }
    return action;
  }

  private UpgradeAction decide(UpgradeSnapshot s) {
    UpgradeProgress progress = s.progress();
    if (progress.phase().isTerminal()) {
      return canRestart(progress) && s.spec().generation() > progress.attempt()
          ? startAttempt(s)
          : new Idle();
    }
    return switch (progress.phase()) {
      case PENDING -> startAttempt(s);
      case VALIDATING -> validate(s);
      case AWAITING_APPROVAL -> awaitApproval(s);
      case PRE_FLIGHT -> preFlight(s);
      case REHEARSING -> rehearse(s);
      case BACKING_UP -> backUp(s);
      case SCALING_DOWN -> scaleDown(s);
      case MIGRATING -> migrate(s);
      case ROLLING_OUT -> rollOut(s);
      case VERIFYING -> verify(s);
      case REINDEXING -> reindex(s);
      case ROLLING_BACK -> rollBack(s);
      case SUCCEEDED, PLANNED, ROLLED_BACK, STALLED, FAILED ->
          throw new IllegalStateException("terminal phase " + progress.phase());
    };
  }

  /**
   * A finished attempt restarts on a new spec generation only when it changed nothing: a dry run
   * (turning dryRun off starts the real upgrade) or a refusal (the spec was fixed). Generations
   * also move while an attempt runs (approvals are spec edits), so after a success, a rollback or a
   * failure a newer generation means nothing: another try is a new MetadataUpgrade.
   */
  private static boolean canRestart(UpgradeProgress progress) {
    return progress.phase() == UpgradePhase.PLANNED || progress.phase() == UpgradePhase.STALLED;
  }

  private static UpgradeAction startAttempt(UpgradeSnapshot s) {
    return new Transition(
        UpgradeProgress.newAttempt(
            s.spec().generation(),
            s.now(),
            "Validating the upgrade to " + s.spec().targetVersion() + "."));
  }

  // ---- Validating: read-only checks; any refusal stalls with nothing touched.

  private UpgradeAction validate(UpgradeSnapshot s) {
    UpgradeSpec spec = s.spec();
    UpgradeObservations observed = s.observed();
    if (!spec.backupEnabled() && !spec.backupDisabledAcknowledged()) {
      return stall(
          s,
          FailureReason.BACKUP_DISABLED_WITHOUT_ACKNOWLEDGEMENT,
          "The backup is disabled but the spec does not acknowledge that a failed migration then"
              + " cannot be rolled back. Enable the backup, or acknowledge running without one.");
    }
    if (spec.backupEnabled() && !spec.preFlightEnabled() && !spec.preFlightDisabledAcknowledged()) {
      return stall(
          s,
          FailureReason.PRE_FLIGHT_DISABLED_WITHOUT_ACKNOWLEDGEMENT,
          "The pre-flight is disabled but the spec does not acknowledge that the backup is then"
              + " first restored during a rollback, when the server is already down. Enable the"
              + " pre-flight, or acknowledge running without it.");
    }
    if (spec.rehearsalEnabled() && !(spec.backupEnabled() && spec.preFlightEnabled())) {
      return stall(
          s,
          FailureReason.REHEARSAL_WITHOUT_PRE_FLIGHT,
          "The rehearsal migrates the verified dump of the pre-flight, but the spec disables the"
              + " pre-flight or the backup. Enable both, or disable the rehearsal.");
    }
    if (observed.server().isEmpty()) {
      return stall(
          s,
          FailureReason.SERVER_DEPLOYMENT_NOT_FOUND,
          "The server Deployment named in the spec does not exist. Fix the name in the spec.");
    }
    ServerDeployment server = observed.server().get();
    if (observed.conflictingUpgrade().isPresent()) {
      return stall(
          s,
          FailureReason.CONFLICTING_UPGRADE,
          "MetadataUpgrade "
              + observed.conflictingUpgrade().get()
              + " is already upgrading this server. Let it finish, then change this spec to retry.");
    }
    GitOpsSetup gitOps = GitOpsSetup.assess(server.manager(), spec.manager());
    if (gitOps instanceof GitOpsSetup.Refused refused) {
      return stall(s, FailureReason.SYNC_WOULD_UNDO_UPGRADE, refused.message());
    }
    if (server.replicas() == 0) {
      return stall(
          s,
          FailureReason.SERVER_SCALED_TO_ZERO,
          "The server Deployment has 0 replicas, so neither the current nor the upgraded server"
              + " could be checked. Scale it up, then change this spec to retry.");
    }
    List<String> images = new ArrayList<>(List.of(server.image()));
    spec.targetImage().ifPresent(images::add);
    Optional<String> currentIngestion = Optional.empty();
    if (spec.alignIngestion()) {
      Optional<UpgradeAction> misaligned = checkIngestion(s);
      if (misaligned.isPresent()) {
        return misaligned.get();
      }
      currentIngestion = observed.ingestion().get(0).image();
      images.add(currentIngestion.get());
    }
    spec.ingestionImage().ifPresent(images::add);
    if (spec.checksSearch()) {
      if (observed.searchImage().isEmpty()) {
        return stall(
            s,
            FailureReason.SEARCH_WORKLOAD_NOT_FOUND,
            "The search engine's workload named in the spec does not exist. Fix the name in the"
                + " spec.");
      }
      images.add(observed.searchImage().get());
    }
    Optional<String> imageError =
        images.stream().map(UpgradePlanner::imageError).flatMap(Optional::stream).findFirst();
    if (imageError.isPresent()) {
      return stall(s, FailureReason.INVALID_IMAGE, imageError.get());
    }
    ImageReference serverImage = ImageReference.parse(server.image());
    Optional<ImageReference> targetImage = spec.targetImage().map(ImageReference::parse);
    Optional<ImageReference> ingestionImage = currentIngestion.map(ImageReference::parse);
    ChildStatus inspection = observed.inspection();
    switch (inspection.state()) {
      case ABSENT:
        return Simple.CREATE_INSPECTION;
      case RUNNING:
        return new Wait(
            WaitReason.INSPECTING_DATABASE,
            "Reading the schema version from the database.",
            Optional.empty());
      case FAILED:
        return stall(
            s,
            FailureReason.DATABASE_INSPECTION_FAILED,
            "Could not read the schema version from the database: "
                + inspection.message()
                + ". Check the database settings of the server Deployment and that the database is"
                + " reachable, then change this spec to retry.");
      case SUCCEEDED:
        break;
    }
    PathCheck path =
        UpgradePath.check(
            serverImage.tag(), spec.targetVersion(), observed.databaseSchemaVersion(), catalogue);
    if (path instanceof PathCheck.Refused refused) {
      return stall(s, refused.reason(), refused.message());
    }
    if (path instanceof PathCheck.AlreadyAtTarget already) {
      return new Transition(
          s.progress()
              .enter(
                  UpgradePhase.SUCCEEDED,
                  s.now(),
                  "The server and its database already run "
                      + already.version()
                      + ": nothing to do."));
    }
    PathCheck.Allowed allowed = (PathCheck.Allowed) path;
    PreFlightChecks.Result checks =
        PreFlightChecks.check(
            allowed.to(),
            catalogue.requirements(allowed.to()),
            observed.databaseServer(),
            observed.searchImage());
    if (!checks.failing().isEmpty()) {
      return stall(
          s,
          FailureReason.REQUIREMENT_NOT_MET,
          "The platform does not meet the requirements of OpenMetadata "
              + allowed.to()
              + ": "
              + String.join(" ", checks.failing()));
    }
    Optional<String> targetIngestion;
    try {
      targetIngestion = targetIngestionImage(spec, serverImage, ingestionImage, allowed.to());
    } catch (IllegalArgumentException e) {
      return stall(s, FailureReason.INVALID_IMAGE, e.getMessage());
    }
    List<BreakingChange> installation = new ArrayList<>(installationItems(server, allowed.to()));
    installation.addAll(checks.approvals());
    UpgradePlan plan =
        plan(
            allowed,
            installation,
            server,
            serverImage,
            targetImage,
            ingestionImage,
            targetIngestion,
            spec,
            gitOps instanceof GitOpsSetup.GitRollout git
                ? Optional.of(git.source())
                : Optional.empty());
    String pair = plan.from() + "->" + plan.to();
    if (observed.failedUpgrade().equals(Optional.of(pair))
        && !spec.retryFailedUpgrade().equals(Optional.of(pair))) {
      return stall(
          s,
          FailureReason.PREVIOUSLY_FAILED,
          "The migration from "
              + pair.replace("->", " to ")
              + " failed on this server before and was rolled back (its server image gate records"
              + " it): a sync or a re-created MetadataUpgrade must not run it again. Fix the cause,"
              + " then add the annotation metadataops.io/retry-failed-upgrade: \""
              + pair
              + "\" to this MetadataUpgrade.");
    }
    UpgradeProgress planned = s.progress().withPlan(plan);
    if (spec.dryRun()) {
      return new Transition(planned.enter(UpgradePhase.PLANNED, s.now(), describe(plan)));
    }
    UpgradePhase first = plan.phaseAfter(UpgradePhase.VALIDATING);
    String message =
        first == UpgradePhase.AWAITING_APPROVAL
            ? approvalMessage(plan.approvals(), plan.crossed())
            : "Upgrading from " + plan.from() + " to " + plan.to() + ".";
    return new Transition(planned.enter(first, s.now(), message));
  }

  private UpgradePlan plan(
      PathCheck.Allowed path,
      List<BreakingChange> installation,
      ServerDeployment server,
      ImageReference serverImage,
      Optional<ImageReference> targetImage,
      Optional<ImageReference> ingestionImage,
      Optional<String> targetIngestion,
      UpgradeSpec spec,
      Optional<String> gitSource) {
    Version to = path.to();
    List<CatalogueEntry> crossed =
        withInstallationItems(catalogue.crossed(path.from(), to), to, installation);
    ApprovalReview approvals = ApprovalReview.of(crossed, spec.approvedChanges());
    List<UpgradePhase> steps = new ArrayList<>(List.of(UpgradePhase.VALIDATING));
    if (!approvals.isComplete()) {
      steps.add(UpgradePhase.AWAITING_APPROVAL);
    }
    if (spec.backupEnabled() && spec.preFlightEnabled()) {
      steps.add(UpgradePhase.PRE_FLIGHT);
      if (spec.rehearsalEnabled()) {
        steps.add(UpgradePhase.REHEARSING);
      }
    }
    steps.add(UpgradePhase.SCALING_DOWN);
    if (spec.backupEnabled()) {
      steps.add(UpgradePhase.BACKING_UP);
    }
    steps.addAll(List.of(UpgradePhase.MIGRATING, UpgradePhase.ROLLING_OUT, UpgradePhase.VERIFYING));
    if (reindexes(spec.reindex(), crossed) && MigrationCommand.reindex(to).isPresent()) {
      steps.add(UpgradePhase.REINDEXING);
    }
    return new UpgradePlan(
        path.from(),
        to,
        serverImage.tagVersion().orElse(path.from()),
        server.image(),
        ingestionImage.map(ImageReference::toString),
        server.replicas(),
        targetImage.orElseGet(() -> serverImage.withTag(to.toString())).toString(),
        targetIngestion.filter(image -> ingestionImage.isPresent()),
        MigrationCommand.resolve(to, spec.migrationCommand()),
        crossed,
        approvals,
        path.warnings(),
        steps,
        gitSource,
        manualActions(spec, targetIngestion));
  }

  /**
   * The ingestion image the target pairs with: the spec's, else the current ingestion image's
   * repository with the target's tag, else (the Kubernetes orchestrator's, which the operator
   * cannot see) the repository published next to the server's; empty when nothing runs ingestion.
   *
   * @throws IllegalArgumentException when the spec's tag form does not exist for the target
   */
  private static Optional<String> targetIngestionImage(
      UpgradeSpec spec, ImageReference server, Optional<ImageReference> current, Version to) {
    if (spec.ingestionImage().isPresent()) {
      return spec.ingestionImage();
    }
    if (current.isPresent()) {
      return Optional.of(
          IngestionImages.imageFor(current.get(), to, spec.ingestionTags()).toString());
    }
    return spec.ingestionSecret()
        .map(secret -> IngestionImages.besideServer(server, to, spec.ingestionTags()).toString());
  }

  /** The Kubernetes orchestrator's image lives in a Secret, which only a person may edit. */
  private static List<String> manualActions(UpgradeSpec spec, Optional<String> targetIngestion) {
    return spec.ingestionSecret()
        .map(
            secret ->
                List.of(
                    "Set K8S_INGESTION_IMAGE in Secret "
                        + secret
                        + " to "
                        + targetIngestion.orElseThrow()
                        + " once the upgrade has succeeded (with the Helm chart: the k8s ingestion"
                        + " image of openmetadata.config.pipelineServiceClientConfig in the release"
                        + " values), then restart the server: until then the Kubernetes"
                        + " orchestrator starts ingestion pods of the old image, which the upgraded"
                        + " server refuses."))
        .orElse(List.of());
  }

  /**
   * Every ingestion Deployment exists and runs one image (the components of one Airflow run the
   * same), so a rollback puts back exactly what ran; a stall otherwise.
   */
  private static Optional<UpgradeAction> checkIngestion(UpgradeSnapshot s) {
    List<IngestionWorkload> ingestion = s.observed().ingestion();
    List<String> missing =
        ingestion.stream().filter(w -> w.image().isEmpty()).map(IngestionWorkload::name).toList();
    if (!missing.isEmpty()) {
      return Optional.of(
          stall(
              s,
              FailureReason.INGESTION_DEPLOYMENT_NOT_FOUND,
              "The ingestion Deployment(s) "
                  + String.join(", ", missing)
                  + " named in the spec do not exist. Fix the names in the spec."));
    }
    if (ingestion.stream().map(IngestionWorkload::image).distinct().count() > 1) {
      return Optional.of(
          stall(
              s,
              FailureReason.INGESTION_NOT_ALIGNED,
              "The ingestion Deployments run different images ("
                  + ingestion.stream()
                      .map(w -> w.name() + ": " + w.image().get())
                      .collect(Collectors.joining(", "))
                  + "): give them one image, the one that pairs with the server, then change this"
                  + " spec to retry."));
    }
    return Optional.empty();
  }

  /**
   * Whether the search indexes are rebuilt after the upgrade: on {@code AUTO} only when a crossed
   * change needs it, so an upgrade the catalogue says nothing about costs no reindex.
   */
  static boolean reindexes(UpgradeSpec.ReindexPolicy policy, List<CatalogueEntry> crossed) {
    return switch (policy) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO ->
          crossed.stream().flatMap(e -> e.changes().stream()).anyMatch(BreakingChange::reindex);
    };
  }

  /** What the server Deployment itself makes risky for an upgrade to {@code to}. */
  static List<BreakingChange> installationItems(ServerDeployment server, Version to) {
    List<BreakingChange> items = new ArrayList<>();
    if (server.migratesWithForce()) {
      items.add(forcedMigrations(to.minorVersion()));
    }
    if (server.manager() instanceof Manager.Helm helm) {
      items.add(helmValues(to, helm));
    }
    return items;
  }

  private static BreakingChange forcedMigrations(MinorVersion minor) {
    return new BreakingChange(
        minor + "/" + FORCED_MIGRATIONS,
        "The server pods run `openmetadata-ops.sh migrate --force` in their init container"
            + " run-db-migrations: after the rollout every new pod re-runs every migration and"
            + " ignores their errors, on the database this upgrade has just migrated.",
        "Remove --force from the Helm value"
            + " openmetadata.config.upgradeMigrationConfigs.additionalArgs (and so from the"
            + " Deployment) before approving; the operator's migration Job never uses it.",
        true);
  }

  /**
   * A release applied by {@code helm upgrade} keeps its image in the values: the next {@code helm
   * upgrade} with the old values would put the previous server back on the migrated database.
   */
  private static BreakingChange helmValues(Version to, Manager.Helm helm) {
    return new BreakingChange(
        to.minorVersion() + "/" + HELM_VALUES,
        "The server Deployment belongs to Helm release "
            + helm.release()
            + ": the operator sets its image, but the next helm upgrade with the current values"
            + " would put the previous server back on the migrated database.",
        "Set the image tag to "
            + to
            + " in the values of release "
            + helm.release()
            + " (image.tag in the official chart) before the next helm upgrade; approving says"
            + " you will.",
        true);
  }

  /**
   * What this installation, not a release, makes risky ({@code items}), reviewed like the breaking
   * changes of the target's minor line (the status records changes per crossed minor).
   */
  static List<CatalogueEntry> withInstallationItems(
      List<CatalogueEntry> crossed, Version to, List<BreakingChange> items) {
    if (items.isEmpty()) {
      return crossed;
    }
    MinorVersion minor = to.minorVersion();
    List<CatalogueEntry> withItems = new ArrayList<>();
    boolean added = false;
    for (CatalogueEntry entry : crossed) {
      if (entry.minor().equals(minor)) {
        List<BreakingChange> changes = new ArrayList<>(entry.changes());
        changes.addAll(items);
        entry = new CatalogueEntry(minor, entry.mandatoryStop(), changes);
        added = true;
      }
      withItems.add(entry);
    }
    if (!added) {
      withItems.add(new CatalogueEntry(minor, false, items));
    }
    return withItems;
  }

  // ---- AwaitingApproval: approvals are read live from the spec.

  private static UpgradeAction awaitApproval(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    ApprovalReview review = ApprovalReview.of(plan.crossed(), s.spec().approvedChanges());
    if (review.isComplete()) {
      return enterNext(s, plan, "All breaking changes are approved.");
    }
    return new Wait(
        WaitReason.AWAITING_APPROVAL, approvalMessage(review, plan.crossed()), Optional.empty());
  }

  // ---- PreFlight, while the server still serves: prove that this database backs up and restores
  // with this engine before any downtime. A failure changes nothing.

  private static UpgradeAction preFlight(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    return childStep(
        s.observed().preFlight(),
        Simple.CREATE_PRE_FLIGHT_BACKUP,
        WaitReason.PRE_FLIGHT_RUNNING,
        child ->
            "Pre-flight: backing up the serving database and verifying the dump by restore into"
                + " a scratch database ("
                + child
                + ").",
        (child, message) ->
            fail(
                s,
                new Failure(
                    FailureReason.PRE_FLIGHT_FAILED,
                    "The pre-flight backup "
                        + child
                        + " failed: "
                        + message
                        + ". Nothing was changed and there was no downtime: the server still runs "
                        + plan.previousImage()
                        + ". Fix the cause, then change this spec to retry.",
                    UpgradePhase.PRE_FLIGHT,
                    s.now())),
        child ->
            enterNext(
                s, plan, "Pre-flight passed: the database backs up and restores (" + child + ")."));
  }

  // ---- Rehearsing, while the server still serves: the verified pre-flight dump, restored into a
  // scratch database, is migrated there by the target's migration Job. The outcome is recorded
  // first, then the scratch is dropped, then the upgrade goes on or fails: production is never
  // touched either way.

  private static UpgradeAction rehearse(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    RehearsalObservations observed = s.observed().rehearsal();
    Optional<RehearsalOutcome> outcome = s.progress().rehearsal();
    if (outcome.isPresent()) {
      return dropScratch(s, plan, observed.drop(), outcome.get());
    }
    ChildStatus migration = observed.migration();
    if (migration.state() == ChildState.ABSENT) {
      // Only until the migration Job exists: the restore Job may be gone after its TTL by then.
      return childStep(
          observed.restore(),
          Simple.CREATE_REHEARSAL_RESTORE,
          WaitReason.REHEARSAL_RUNNING,
          child ->
              "Rehearsal: restoring the pre-flight dump into a scratch database (" + child + ").",
          // The engine drops a scratch database it created when its restore fails.
          (child, message) ->
              fail(
                  s,
                  rehearsalFailure(
                      s,
                      plan,
                      "The rehearsal could not restore the pre-flight dump into a scratch"
                          + " database ("
                          + child
                          + "): "
                          + message
                          + ".")),
          child ->
              new CreateServerImageJob(
                  ServerImageJob.REHEARSAL, plan.targetImage(), plan.migration()));
    }
    if (migration.state() == ChildState.RUNNING) {
      return new Wait(
          WaitReason.REHEARSAL_RUNNING,
          "Rehearsal: migrating a copy of the database to "
              + plan.to()
              + " ("
              + nameOf(migration)
              + ").",
          Optional.empty());
    }
    if (migration.state() == ChildState.FAILED) {
      return recordRehearsal(
          s,
          new RehearsalOutcome(
              false,
              "The rehearsal migration "
                  + nameOf(migration)
                  + " failed on a copy of the database: "
                  + migration.message()
                  + ".",
              Optional.empty()));
    }
    return recordRehearsal(
        s,
        new RehearsalOutcome(
            true,
            "The rehearsal migrated a copy of the database to "
                + plan.to()
                + observed.migrationTime().map(time -> " in " + time.toSeconds() + " s").orElse("")
                + " ("
                + nameOf(migration)
                + ").",
            observed.migrationTime()));
  }

  private static UpgradeAction recordRehearsal(UpgradeSnapshot s, RehearsalOutcome outcome) {
    return new Transition(
        s.progress().withRehearsal(outcome, outcome.message() + " Dropping the scratch database."));
  }

  private static UpgradeAction dropScratch(
      UpgradeSnapshot s, UpgradePlan plan, ChildStatus drop, RehearsalOutcome outcome) {
    return childStep(
        drop,
        Simple.DROP_REHEARSAL_SCRATCH,
        WaitReason.REHEARSAL_RUNNING,
        child -> outcome.message() + " Dropping the scratch database (" + child + ").",
        (child, message) ->
            fail(
                s,
                rehearsalFailure(
                    s,
                    plan,
                    outcome.message()
                        + " Then the scratch database could not be dropped ("
                        + child
                        + "): "
                        + message
                        + "; drop it by hand.")),
        child ->
            outcome.passed()
                ? enterNext(s, plan, outcome.message() + " The scratch database is dropped.")
                : fail(
                    s,
                    rehearsalFailure(
                        s, plan, outcome.message() + " The scratch database is dropped.")));
  }

  private static Failure rehearsalFailure(UpgradeSnapshot s, UpgradePlan plan, String what) {
    return new Failure(
        FailureReason.REHEARSAL_FAILED,
        what
            + " The server was never stopped and its database never touched: it still runs "
            + plan.previousImage()
            + ". Read the rehearsal Jobs' logs, fix the cause, then create a new MetadataUpgrade.",
        UpgradePhase.REHEARSING,
        s.now());
  }

  // ---- BackingUp, with the server stopped: the backup holds every acknowledged write. A failure
  // here changed nothing in the database, so the rollback only gives the server back.

  private static UpgradeAction backUp(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    return childStep(
        s.observed().backup(),
        Simple.CREATE_BACKUP,
        WaitReason.BACKUP_RUNNING,
        child -> "Backing up the database (" + child + ").",
        (child, message) ->
            failForward(
                s,
                FailureReason.BACKUP_FAILED,
                "The backup "
                    + child
                    + " failed: "
                    + message
                    + ". The database was not changed; fix the cause, then change this spec to"
                    + " retry."),
        child ->
            new Transition(
                s.progress()
                    .withBackup(child)
                    .enter(
                        plan.phaseAfter(UpgradePhase.BACKING_UP),
                        s.now(),
                        "Backup " + child + " is complete.")));
  }

  /**
   * A step carried out by one child resource (a backup, a restore): create it, wait while it runs,
   * then go on with its name, or with its name and failure message.
   */
  private static UpgradeAction childStep(
      ChildStatus child,
      UpgradeAction create,
      WaitReason running,
      Function<String, String> runningMessage,
      BiFunction<String, String, UpgradeAction> failed,
      Function<String, UpgradeAction> succeeded) {
    return switch (child.state()) {
      case ABSENT -> create;
      case RUNNING -> new Wait(running, runningMessage.apply(nameOf(child)), Optional.empty());
      case FAILED -> failed.apply(nameOf(child), child.message());
      case SUCCEEDED -> succeeded.apply(nameOf(child));
    };
  }

  // ---- ScalingDown: no server pod may write while the schema changes.

  private static UpgradeAction scaleDown(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    Optional<ServerDeployment> server = s.observed().server();
    if (server.isEmpty()) {
      return failForward(
          s, FailureReason.SERVER_DEPLOYMENT_NOT_FOUND, "The server Deployment was deleted.");
    }
    return stopServer(server.get()).orElseGet(() -> enterNext(s, plan, "The server is stopped."));
  }

  /**
   * Scales the server down and waits for its pods to be gone; empty once it is quiet. Something may
   * scale it up again (a GitOps self-heal once its sync has ended): it is quiet all the same when
   * it has no pod and the server image gate refuses the ones it asks for.
   */
  private static Optional<UpgradeAction> stopServer(ServerDeployment server) {
    if (server.replicas() > 0 && (server.pods() > 0 || !server.gateRefusesPods())) {
      return Optional.of(Simple.SCALE_DOWN);
    }
    if (server.pods() > 0) {
      return Optional.of(
          new Wait(
              WaitReason.SERVER_PODS_TERMINATING,
              server.pods() + " server pod(s) still terminating.",
              Optional.of(POLL_INTERVAL)));
    }
    return Optional.empty();
  }

  // ---- Migrating

  private static UpgradeAction migrate(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    ChildStatus job = s.observed().migration();
    Duration timeout = s.spec().timeouts().migration();
    return switch (job.state()) {
      case ABSENT ->
          new CreateServerImageJob(ServerImageJob.MIGRATION, plan.targetImage(), plan.migration());
      case RUNNING ->
          remaining(s, timeout)
              .<UpgradeAction>map(
                  left ->
                      new Wait(
                          WaitReason.MIGRATION_RUNNING,
                          "Migrating the database to " + plan.to() + " (" + nameOf(job) + ").",
                          Optional.of(left)))
              .orElseGet(
                  () ->
                      failForward(
                          s,
                          FailureReason.MIGRATION_TIMEOUT,
                          "The migration Job "
                              + nameOf(job)
                              + " ran longer than "
                              + timeout
                              + "."));
      case FAILED ->
          failForward(
              s,
              FailureReason.MIGRATION_FAILED,
              "The migration Job " + nameOf(job) + " failed: " + job.message() + ".");
      case SUCCEEDED -> checkMigration(s, plan, nameOf(job));
    };
  }

  /**
   * An exit code of 0 is not enough: the change log, read by an inspection Job (the operator reads
   * no database), must show the target fully migrated. Anything else is a failed migration.
   */
  private static UpgradeAction checkMigration(UpgradeSnapshot s, UpgradePlan plan, String job) {
    MigrationCheck check = s.observed().migrationCheck();
    String exited = "The migration Job " + job + " exited 0 but ";
    return childStep(
        check.job(),
        Simple.CREATE_MIGRATION_CHECK,
        WaitReason.MIGRATION_CHECK_RUNNING,
        child ->
            "The migration Job "
                + job
                + " exited 0; checking the change log of the database ("
                + child
                + ").",
        (child, message) ->
            failForward(
                s,
                FailureReason.MIGRATION_CHECK_FAILED,
                exited + "its change log could not be read (" + child + "): " + message + "."),
        child ->
            check
                .problem(plan.to())
                .map(
                    problem ->
                        failForward(s, FailureReason.MIGRATION_INCOMPLETE, exited + problem + "."))
                .orElseGet(
                    () ->
                        enterNext(
                            s,
                            plan,
                            "The database is migrated to "
                                + plan.to()
                                + " and its change log records it ("
                                + child
                                + ").")));
  }

  // ---- RollingOut and Verifying, shared with the rollback's redeploy and verify steps.

  private static UpgradeAction rollOut(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    Optional<UpgradeAction> awaitGit =
        plan.gitSource().flatMap(source -> awaitGit(s, plan, source));
    if (awaitGit.isPresent()) {
      return awaitGit.get();
    }
    return awaitRollout(
        s,
        new SetImages(plan.targetImage(), plan.targetIngestionImage(), plan.previousReplicas()),
        (reason, message) -> failForward(s, reason, message),
        () -> enterNext(s, plan, plan.targetImage() + " is rolled out."));
  }

  /**
   * With GitOps the images come from Git, applied once the upgrade reports itself healthy (from
   * RollingOut on); the operator then only gives the server its replicas back. Waiting has no
   * timeout: the commit may be made only now.
   */
  private static Optional<UpgradeAction> awaitGit(
      UpgradeSnapshot s, UpgradePlan plan, String source) {
    Optional<String> serverImage = s.observed().server().map(ServerDeployment::image);
    if (serverImage.isEmpty() || applied(s, plan.targetImage(), plan.targetIngestionImage())) {
      return Optional.empty();
    }
    return Optional.of(
        new Wait(
            WaitReason.AWAITING_GIT,
            "The database is migrated to "
                + plan.to()
                + ". Waiting for "
                + source
                + " to apply "
                + plan.targetImage()
                + plan.targetIngestionImage().map(image -> " and " + image).orElse("")
                + " (the Deployment has "
                + serverImage.get()
                + "): commit it next to this MetadataUpgrade if it is not in Git yet.",
            Optional.empty()));
  }

  private static UpgradeAction verify(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    return awaitVersion(
        s,
        plan.to(),
        message -> failForward(s, FailureReason.VERIFICATION_FAILED, message),
        () ->
            plan.phaseAfter(UpgradePhase.VERIFYING) == UpgradePhase.REINDEXING
                ? new Transition(
                    s.progress()
                        .enter(
                            UpgradePhase.REINDEXING,
                            s.now(),
                            "The server serves "
                                + plan.to()
                                + "; rebuilding the search indexes from the migrated database."))
                : new Transition(
                    s.progress()
                        .enter(
                            UpgradePhase.SUCCEEDED,
                            s.now(),
                            "Upgraded from "
                                + plan.from()
                                + " to "
                                + plan.to()
                                + "."
                                + byHand(plan))));
  }

  // ---- Reindexing, once the target serves: the upgrade has succeeded, so a failure here rolls
  // nothing back (the data is fine) and ends in Succeeded with the failure and how to rerun.

  private static UpgradeAction reindex(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    String upgraded = "Upgraded from " + plan.from() + " to " + plan.to();
    return reindexStep(
        s,
        plan.targetImage(),
        plan.to(),
        child ->
            new Transition(
                s.progress()
                    .enter(
                        UpgradePhase.SUCCEEDED,
                        s.now(),
                        upgraded
                            + "; the search indexes are rebuilt ("
                            + child
                            + ")."
                            + byHand(plan))),
        (child, message) -> {
          String failed =
              upgraded
                  + ", but rebuilding the search indexes failed: the reindex Job "
                  + child
                  + " failed: "
                  + message
                  + ". The data is fine and the server serves "
                  + plan.to()
                  + "; nothing is rolled back. Search results stay incomplete until the indexes"
                  + " are rebuilt: "
                  + rerunReindex(s)
                  + byHand(plan);
          return new Transition(
              s.progress()
                  .withFailure(
                      new Failure(
                          FailureReason.REINDEX_FAILED, failed, UpgradePhase.REINDEXING, s.now()))
                  .enter(UpgradePhase.SUCCEEDED, s.now(), failed));
        });
  }

  /** What is left for a person once the target serves, for the final message. */
  private static String byHand(UpgradePlan plan) {
    return plan.manualActions().isEmpty()
        ? ""
        : " Left to do by hand: " + String.join(" ", plan.manualActions());
  }

  /** The Job that rebuilds the search indexes with the server image of {@code version}. */
  private static UpgradeAction reindexStep(
      UpgradeSnapshot s,
      String image,
      Version version,
      Function<String, UpgradeAction> rebuilt,
      BiFunction<String, String, UpgradeAction> failed) {
    MigrationCommand command =
        MigrationCommand.reindex(version).orElseThrow(() -> corrupt("reindex command"));
    return childStep(
        s.observed().reindex(),
        new CreateServerImageJob(ServerImageJob.REINDEX, image, command),
        WaitReason.REINDEX_RUNNING,
        child -> "Rebuilding the search indexes with " + image + " (" + child + ").",
        failed,
        rebuilt);
  }

  /** How a person rebuilds the indexes by hand, with the settings of the running server. */
  private static String rerunReindex(UpgradeSnapshot s) {
    return "kubectl exec deploy/"
        + s.spec().serverName()
        + " -- "
        + MigrationCommand.SERVER_HOME
        + "/bootstrap/openmetadata-ops.sh reindex (in this namespace), or the Search Indexing"
        + " application with 'Recreate indexes'.";
  }

  /** Reported failures of a shared step: reason and message. */
  private interface StepFailure {
    UpgradeAction apply(FailureReason reason, String message);
  }

  private static UpgradeAction awaitRollout(
      UpgradeSnapshot s, SetImages desired, StepFailure onFailure, Supplier<UpgradeAction> onDone) {
    Optional<ServerDeployment> observed = s.observed().server();
    if (observed.isEmpty()) {
      return onFailure.apply(
          FailureReason.SERVER_DEPLOYMENT_NOT_FOUND, "The server Deployment was deleted.");
    }
    ServerDeployment server = observed.get();
    boolean applied =
        server.image().equals(desired.serverImage())
            && server.replicas() == desired.replicas()
            && (desired.ingestionImage().isEmpty()
                || s.observed().ingestion().stream()
                    .allMatch(w -> w.image().equals(desired.ingestionImage())));
    if (!applied) {
      return desired;
    }
    Duration timeout = s.spec().timeouts().rollout();
    return switch (server.rollout()) {
      case COMPLETE -> onDone.get();
      case FAILED ->
          onFailure.apply(
              FailureReason.ROLLOUT_FAILED,
              "The pods of "
                  + desired.serverImage()
                  + " did not become ready (the Deployment's progress deadline was exceeded).");
      case PROGRESSING ->
          remaining(s, timeout)
              .<UpgradeAction>map(
                  left ->
                      new Wait(
                          WaitReason.ROLLOUT_PROGRESSING,
                          "Rolling out " + desired.serverImage() + ".",
                          Optional.of(left)))
              .orElseGet(
                  () ->
                      onFailure.apply(
                          FailureReason.ROLLOUT_TIMEOUT,
                          "The rollout of "
                              + desired.serverImage()
                              + " did not complete within "
                              + timeout
                              + "."));
    };
  }

  private static UpgradeAction awaitVersion(
      UpgradeSnapshot s,
      Version expected,
      Function<String, UpgradeAction> onFailure,
      Supplier<UpgradeAction> onVerified) {
    VersionProbe probe = s.observed().versionProbe();
    if (probe instanceof VersionProbe.Reported reported && reports(reported, expected)) {
      return onVerified.get();
    }
    String lastAnswer =
        probe instanceof VersionProbe.Reported reported
            ? "it reported '" + reported.version() + "'"
            : probe instanceof VersionProbe.Unreachable unreachable
                ? "it was unreachable: " + unreachable.error()
                : "no answer yet";
    Duration timeout = s.spec().timeouts().verification();
    return remaining(s, timeout)
        .<UpgradeAction>map(
            left ->
                new Wait(
                    WaitReason.VERSION_NOT_YET_REPORTED,
                    "Waiting for the server to report version "
                        + expected
                        + " ("
                        + lastAnswer
                        + ").",
                    Optional.of(left.compareTo(POLL_INTERVAL) < 0 ? left : POLL_INTERVAL)))
        .orElseGet(
            () ->
                onFailure.apply(
                    "The version endpoint did not report "
                        + expected
                        + " within "
                        + timeout
                        + "; "
                        + lastAnswer
                        + "."));
  }

  /** Compares the release numbers only: a build may report a suffix such as -SNAPSHOT. */
  private static boolean reports(VersionProbe.Reported reported, Version expected) {
    return Version.tryParse(reported.version())
        .map(v -> Version.of(v.major(), v.minor(), v.patch()).equals(expected))
        .orElse(false);
  }

  // ---- Failures of the forward path.

  /**
   * A failure after validation: rolls back when a backup exists and rollback is enabled, otherwise
   * ends in Failed with a message that says what state things are in.
   */
  private static UpgradeAction failForward(
      UpgradeSnapshot s, FailureReason reason, String message) {
    UpgradePlan plan = plan(s);
    UpgradePhase phase = s.progress().phase();
    Failure failure = new Failure(reason, message, phase, s.now());
    if (plan.backsUp() && s.spec().rollbackEnabled()) {
      return new Transition(
          s.progress()
              .withFailure(failure)
              .enter(
                  RollbackStep.STOPPING_WRITERS,
                  s.now(),
                  message + " Rolling back to " + plan.previousImage() + "."));
    }
    String why =
        plan.backsUp()
            ? " Automatic rollback is disabled by the spec."
            : " No backup was taken (disabled by the spec), so there is no automatic rollback.";
    return fail(
        s,
        new Failure(
            reason,
            message + why + " " + stateAfterForwardFailure(plan, phase, s.progress().backupName()),
            phase,
            s.now()));
  }

  private static UpgradeAction fail(UpgradeSnapshot s, Failure failure) {
    return new Transition(
        s.progress().withFailure(failure).enter(UpgradePhase.FAILED, s.now(), failure.message()));
  }

  private static String stateAfterForwardFailure(
      UpgradePlan plan, UpgradePhase failed, Optional<String> backupName) {
    String database =
        switch (failed) {
          case SCALING_DOWN, BACKING_UP ->
              "The database was not changed (still at " + plan.from() + ").";
          case MIGRATING -> "The database may be half-migrated towards " + plan.to() + ".";
          default -> "The database is migrated to " + plan.to() + ".";
        };
    String deployment =
        failed.ordinal() < UpgradePhase.ROLLING_OUT.ordinal()
            ? "The server Deployment is scaled down to 0 replicas."
            : "The server Deployment runs "
                + plan.targetImage()
                + " but is not serving "
                + plan.to()
                + ".";
    String recovery =
        backupName
            .map(
                name ->
                    "To go back: keep the server scaled down, restore backup "
                        + name
                        + " with a MetadataRestore that drops the existing tables, then set the"
                        + " image to "
                        + plan.previousImage()
                        + " with "
                        + plan.previousReplicas()
                        + " replica(s).")
            .orElse(
                "To go back: restore your own pre-upgrade backup into a clean database and set the"
                    + " image to "
                    + plan.previousImage()
                    + " with "
                    + plan.previousReplicas()
                    + " replica(s); or fix the cause and finish the upgrade by hand.");
    return database + " " + deployment + " " + recovery;
  }

  // ---- RollingBack

  private static UpgradeAction rollBack(UpgradeSnapshot s) {
    UpgradePlan plan = plan(s);
    RollbackStep step = s.progress().rollbackStep().orElse(RollbackStep.STOPPING_WRITERS);
    return switch (step) {
      case STOPPING_WRITERS -> stopWriters(s);
      case RESTORING -> restore(s, plan);
      case AWAITING_GIT -> awaitGitRevert(s, plan);
      case REDEPLOYING -> redeploy(s, plan);
      case VERIFYING ->
          awaitVersion(
              s,
              plan.previousServerVersion(),
              message -> rollbackFailed(s, RollbackStep.VERIFYING, message),
              () ->
                  reindexesAfterRollback(s, plan)
                      ? new Transition(
                          s.progress()
                              .enter(
                                  RollbackStep.REINDEXING,
                                  s.now(),
                                  plan.previousImage()
                                      + " serves again; rebuilding the search indexes the"
                                      + " migration updated."))
                      : rolledBack(s, plan, ""));
      case REINDEXING ->
          reindexStep(
              s,
              plan.previousImage(),
              plan.previousServerVersion(),
              child -> rolledBack(s, plan, " The search indexes are rebuilt (" + child + ")."),
              (child, message) ->
                  rolledBack(
                      s,
                      plan,
                      " Rebuilding the search indexes failed (the reindex Job "
                          + child
                          + " failed: "
                          + message
                          + "): the data is fine, but search may show what the migration indexed"
                          + " until the indexes are rebuilt: "
                          + rerunReindex(s)));
    };
  }

  private static UpgradeAction redeploy(UpgradeSnapshot s, UpgradePlan plan) {
    return awaitRollout(
        s,
        new SetImages(plan.previousImage(), plan.previousIngestionImage(), plan.previousReplicas()),
        (reason, message) -> rollbackFailed(s, RollbackStep.REDEPLOYING, message),
        () ->
            new Transition(
                s.progress()
                    .enter(
                        RollbackStep.VERIFYING,
                        s.now(),
                        plan.previousImage() + " is rolled out again.")));
  }

  /**
   * With GitOps the previous image comes from Git too. When Git had applied the target before the
   * failure (in RollingOut or later), setting the previous image would fight the self-heal: the
   * rollback waits for Git instead, with no timeout (it needs a person), while the gate lets only
   * the previous image start on the restored database. A revert prunes this upgrade (a sync waits
   * for its earlier wave to be healthy, so only a removal lets it apply the Deployment); if the
   * previous image comes otherwise, the rollback goes on, its rollout timed from then.
   */
  private static UpgradeAction awaitGitRevert(UpgradeSnapshot s, UpgradePlan plan) {
    String source = plan.gitSource().orElseThrow(() -> corrupt("plan.gitSource"));
    if (!needsGitRevert(s, plan)) {
      return new Transition(
          s.progress()
              .enter(
                  RollbackStep.REDEPLOYING,
                  s.now(),
                  source + " applies " + plan.previousImage() + " again."));
    }
    return new Wait(
        WaitReason.AWAITING_GIT,
        "The database is back at "
            + plan.from()
            + restoredFrom(s)
            + ". Waiting for "
            + source
            + " to apply "
            + plan.previousImage()
            + " again: the Deployment has "
            + s.observed().server().map(ServerDeployment::image).orElse("")
            + ", whose pods the server image gate refuses. Revert the commit that set it: the"
            + " sync removes this MetadataUpgrade and applies "
            + plan.previousImage()
            + ", which the gate lets start on the restored database.",
        Optional.empty());
  }

  /** The step that puts the previous images back: from Git when Git applied the target's. */
  private static RollbackStep redeployStep(UpgradeSnapshot s, UpgradePlan plan) {
    return needsGitRevert(s, plan) ? RollbackStep.AWAITING_GIT : RollbackStep.REDEPLOYING;
  }

  private static boolean needsGitRevert(UpgradeSnapshot s, UpgradePlan plan) {
    return plan.gitSource().isPresent()
        && s.observed().server().isPresent()
        && !applied(s, plan.previousImage(), plan.previousIngestionImage());
  }

  /** True when the server (and the ingestion workloads, if any image is given) run these. */
  private static boolean applied(
      UpgradeSnapshot s, String serverImage, Optional<String> ingestionImage) {
    return s.observed().server().map(ServerDeployment::image).equals(Optional.of(serverImage))
        && (ingestionImage.isEmpty()
            || s.observed().ingestion().stream().allMatch(w -> w.image().equals(ingestionImage)));
  }

  private static UpgradeAction rolledBack(UpgradeSnapshot s, UpgradePlan plan, String more) {
    return new Transition(
        s.progress()
            .enter(
                UpgradePhase.ROLLED_BACK,
                s.now(),
                "Rolled back: "
                    + failureMessage(s)
                    + " The server runs "
                    + plan.previousImage()
                    + " again"
                    + restoredFrom(s)
                    + "."
                    + more));
  }

  /**
   * The migration updates the search indexes last, and restoring the database does not undo that:
   * when the plan rebuilds the indexes and a migration ran, the rollback rebuilds them too, with
   * the previous image (if it has the command).
   */
  private static boolean reindexesAfterRollback(UpgradeSnapshot s, UpgradePlan plan) {
    boolean migrated = !s.progress().failure().map(Failure::beforeMigration).orElse(true);
    return migrated
        && plan.steps().contains(UpgradePhase.REINDEXING)
        && MigrationCommand.reindex(plan.previousServerVersion()).isPresent();
  }

  private static UpgradeAction stopWriters(UpgradeSnapshot s) {
    if (s.observed().migration().state() == ChildState.RUNNING) {
      return Simple.DELETE_MIGRATION_JOB;
    }
    Optional<UpgradeAction> stopping = s.observed().server().flatMap(UpgradePlanner::stopServer);
    if (stopping.isPresent()) {
      return stopping.get();
    }
    // Nothing to restore when the failure came before any migration could change the database.
    boolean databaseUntouched = s.progress().failure().map(Failure::beforeMigration).orElse(false);
    RollbackStep next = databaseUntouched ? redeployStep(s, plan(s)) : RollbackStep.RESTORING;
    return new Transition(s.progress().enter(next, s.now(), "Nothing writes to the database now."));
  }

  private static UpgradeAction restore(UpgradeSnapshot s, UpgradePlan plan) {
    String backupName = s.progress().backupName().orElseThrow(() -> corrupt("backupName"));
    return childStep(
        s.observed().restore(),
        new CreateRestore(backupName),
        WaitReason.RESTORE_RUNNING,
        child -> "Restoring backup " + backupName + " (" + child + ").",
        (child, message) ->
            rollbackFailed(
                s, RollbackStep.RESTORING, "The restore " + child + " failed: " + message + "."),
        child -> {
          RollbackStep next = redeployStep(s, plan);
          String then =
              next == RollbackStep.AWAITING_GIT ? "; waiting for Git to apply " : "; redeploying ";
          return new Transition(
              s.progress()
                  .enter(
                      next,
                      s.now(),
                      "Backup " + backupName + " is restored" + then + plan.previousImage() + "."));
        });
  }

  /**
   * The rollback failed: the message tells a person the state of the database and the Deployment
   * and what to do, because from here on nobody else will.
   */
  private static UpgradeAction rollbackFailed(UpgradeSnapshot s, RollbackStep step, String what) {
    UpgradePlan plan = plan(s);
    String backup = s.progress().backupName().orElse("(none)");
    String previous = plan.previousImage() + " with " + plan.previousReplicas() + " replica(s)";
    String database =
        switch (step) {
          case STOPPING_WRITERS, RESTORING ->
              "The database is in an unknown state: it may be half-migrated towards "
                  + plan.to()
                  + " and partly restored from backup "
                  + backup
                  + ".";
          case AWAITING_GIT, REDEPLOYING, VERIFYING, REINDEXING ->
              "The database is at "
                  + plan.from()
                  + restoredFrom(s)
                  + ", which matches "
                  + plan.previousImage()
                  + ".";
        };
    String deployment =
        switch (step) {
          case STOPPING_WRITERS, RESTORING ->
              "The server Deployment is scaled down to 0 replicas; nothing writes to the database.";
          case AWAITING_GIT, REDEPLOYING ->
              "The server Deployment is set to " + previous + " but its pods are not ready.";
          case VERIFYING, REINDEXING ->
              "The server Deployment runs "
                  + previous
                  + " but does not report version "
                  + plan.previousServerVersion()
                  + ".";
        };
    String todo =
        switch (step) {
          case STOPPING_WRITERS, RESTORING ->
              "To recover: keep the server scaled down; restore backup "
                  + backup
                  + " into a clean database (a new MetadataRestore that drops the existing tables,"
                  + " or the database client with the backup file); then set the server image to "
                  + previous
                  + " and check that /api/v1/system/version reports "
                  + plan.previousServerVersion()
                  + ".";
          case AWAITING_GIT, REDEPLOYING ->
              "To recover: look at the events and logs of the server pods and fix what keeps them"
                  + " from starting; the database needs no change.";
          case VERIFYING, REINDEXING ->
              "To recover: check that the Service reaches the server pods and what"
                  + " /api/v1/system/version answers; the database needs no change.";
        };
    String message =
        "The upgrade from "
            + plan.from()
            + " to "
            + plan.to()
            + " failed ("
            + failureMessage(s)
            + ") and so did its rollback: "
            + what
            + " "
            + database
            + " "
            + deployment
            + " "
            + todo
            + " This MetadataUpgrade stays Failed; create a new one once the server runs again.";
    Failure failure =
        new Failure(FailureReason.ROLLBACK_FAILED, message, UpgradePhase.ROLLING_BACK, s.now());
    return new Transition(
        s.progress().withRollbackFailure(failure).enter(UpgradePhase.FAILED, s.now(), message));
  }

  private static String failureMessage(UpgradeSnapshot s) {
    return s.progress().failure().map(Failure::message).orElse("unknown failure");
  }

  private static String restoredFrom(UpgradeSnapshot s) {
    boolean restored = !s.progress().failure().map(Failure::beforeMigration).orElse(false);
    return restored
        ? s.progress().backupName().map(b -> " (restored from backup " + b + ")").orElse("")
        : " (never migrated)";
  }

  // ---- Helpers

  private static UpgradeAction stall(UpgradeSnapshot s, FailureReason reason, String message) {
    Failure failure = new Failure(reason, message, UpgradePhase.VALIDATING, s.now());
    return new Transition(
        s.progress().withFailure(failure).enter(UpgradePhase.STALLED, s.now(), message));
  }

  private static UpgradeAction enterNext(UpgradeSnapshot s, UpgradePlan plan, String message) {
    UpgradePhase next = plan.phaseAfter(s.progress().phase());
    String suffix = next == UpgradePhase.SUCCEEDED ? "" : " Next: " + next.value() + ".";
    return new Transition(s.progress().enter(next, s.now(), message + suffix));
  }

  /** Time left before {@code timeout} expires in the current step; empty once it has. */
  private static Optional<Duration> remaining(UpgradeSnapshot s, Duration timeout) {
    Duration elapsed = Duration.between(s.progress().stepStartedAt().orElse(s.now()), s.now());
    Duration left = timeout.minus(elapsed);
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  private static UpgradePlan plan(UpgradeSnapshot s) {
    return s.progress().plan().orElseThrow(() -> corrupt("plan"));
  }

  private static IllegalStateException corrupt(String field) {
    return new IllegalStateException(
        "the status has no " + field + " although validation records one; was it edited by hand?");
  }

  private static String nameOf(ChildStatus child) {
    return child.name().orElse("(unnamed)");
  }

  /** Why an image reference does not parse; empty when it does. */
  private static Optional<String> imageError(String image) {
    try {
      ImageReference.parse(image);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static String approvalMessage(ApprovalReview review, List<CatalogueEntry> crossed) {
    String pending =
        crossed.stream()
            .flatMap(entry -> entry.changes().stream())
            .filter(change -> review.pending().contains(change.id()))
            .map(
                change ->
                    change.id() + " (" + change.summary() + " To do: " + change.action() + ")")
            .collect(Collectors.joining("; "));
    String unmatched =
        review.unmatched().isEmpty()
            ? ""
            : " These approvals match no change this upgrade crosses (a typo?): "
                + String.join(", ", review.unmatched())
                + ".";
    return "Waiting for approval of breaking changes; take the action, then add the id to the"
        + " approved changes of the spec: "
        + pending
        + "."
        + unmatched;
  }

  /** The dry-run summary: what would run, with which images and commands. */
  private static String describe(UpgradePlan plan) {
    String changes =
        plan.crossed().stream()
            .flatMap(entry -> entry.changes().stream())
            .map(BreakingChange::id)
            .collect(Collectors.joining(", "));
    return "Dry run: would upgrade from "
        + plan.from()
        + " to "
        + plan.to()
        + " in steps "
        + plan.steps().stream().map(UpgradePhase::value).collect(Collectors.joining(" -> "))
        + "; migrate with "
        + plan.targetImage()
        + ": "
        + String.join(" ", plan.migration().command())
        + "; breaking changes crossed: "
        + (changes.isEmpty() ? "none" : changes)
        + (plan.approvals().isComplete()
            ? ""
            : "; awaiting approval: " + String.join(", ", plan.approvals().pending()))
        + ".";
  }
}
