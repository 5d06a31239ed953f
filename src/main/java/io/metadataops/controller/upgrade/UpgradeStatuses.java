package io.metadataops.controller.upgrade;

import io.metadataops.api.CrossedRelease;
import io.metadataops.api.Downtime;
import io.metadataops.api.MetadataUpgradePhase;
import io.metadataops.api.MetadataUpgradeStatus;
import io.metadataops.api.RehearsalStatus;
import io.metadataops.api.UpgradeFailure;
import io.metadataops.api.UpgradeStep;
import io.metadataops.api.UpgradeWarning;
import io.metadataops.upgrade.ApprovalReview;
import io.metadataops.upgrade.BreakingChange;
import io.metadataops.upgrade.CatalogueEntry;
import io.metadataops.upgrade.Failure;
import io.metadataops.upgrade.FailureReason;
import io.metadataops.upgrade.MigrationCommand;
import io.metadataops.upgrade.MinorVersion;
import io.metadataops.upgrade.PathWarning;
import io.metadataops.upgrade.RehearsalOutcome;
import io.metadataops.upgrade.RollbackStep;
import io.metadataops.upgrade.UpgradePhase;
import io.metadataops.upgrade.UpgradePlan;
import io.metadataops.upgrade.UpgradeProgress;
import io.metadataops.upgrade.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Stores an {@link UpgradeProgress} in a {@code MetadataUpgrade} status and reads it back exactly,
 * so a restarted operator resumes where the status says. Pure: unit-tested without a cluster.
 */
public final class UpgradeStatuses {

  static final String OUTCOME_SUCCEEDED = "Succeeded";
  static final String OUTCOME_FAILED = "Failed";
  static final String REHEARSAL_PASSED = "Passed";

  private UpgradeStatuses() {}

  /** The progress recorded in {@code status}; a missing status is a fresh upgrade. */
  public static UpgradeProgress read(MetadataUpgradeStatus status) {
    if (status == null || status.phase == null) {
      return UpgradeProgress.pending();
    }
    return new UpgradeProgress(
        phase(status.phase),
        status.attempt == null ? 0 : status.attempt,
        Optional.ofNullable(status.rollbackStep).map(RollbackStep::valueOf),
        Optional.ofNullable(status.stepStartedAt).map(Instant::parse),
        readPlan(status),
        Optional.ofNullable(status.backupName),
        readFailure(status.firstFailure),
        readFailure(status.rollbackFailure),
        readRehearsal(status.rehearsal),
        Objects.requireNonNullElse(status.message, ""));
  }

  /** Writes every field of {@code progress}; the other fields of {@code status} are kept. */
  public static void write(UpgradeProgress progress, MetadataUpgradeStatus status) {
    status.phase = MetadataUpgradePhase.valueOf(progress.phase().value());
    status.attempt = progress.attempt();
    status.rollbackStep = progress.rollbackStep().map(Enum::name).orElse(null);
    status.stepStartedAt = progress.stepStartedAt().map(Instant::toString).orElse(null);
    status.backupName = progress.backupName().orElse(null);
    status.firstFailure = progress.failure().map(UpgradeStatuses::writeFailure).orElse(null);
    status.rollbackFailure =
        progress.rollbackFailure().map(UpgradeStatuses::writeFailure).orElse(null);
    status.message = progress.message();
    writeRehearsal(progress.rehearsal(), status);
    writePlan(progress.plan(), status);
  }

  /** The names of the rehearsal's scratch database and Jobs, as the controller observed them. */
  static RehearsalStatus rehearsal(MetadataUpgradeStatus status) {
    if (status.rehearsal == null) {
      status.rehearsal = new RehearsalStatus();
    }
    return status.rehearsal;
  }

  private static Optional<RehearsalOutcome> readRehearsal(RehearsalStatus rehearsal) {
    if (rehearsal == null || rehearsal.outcome == null) {
      return Optional.empty();
    }
    return Optional.of(
        new RehearsalOutcome(
            REHEARSAL_PASSED.equals(rehearsal.outcome),
            Objects.requireNonNullElse(rehearsal.message, ""),
            Optional.ofNullable(rehearsal.migrationSeconds).map(Duration::ofSeconds)));
  }

  /** The outcome fields only: the names stay as the controller wrote them. */
  private static void writeRehearsal(
      Optional<RehearsalOutcome> outcome, MetadataUpgradeStatus status) {
    if (outcome.isEmpty()) {
      if (status.rehearsal != null) {
        status.rehearsal.outcome = null;
        status.rehearsal.message = null;
        status.rehearsal.migrationSeconds = null;
      }
      return;
    }
    RehearsalStatus written = rehearsal(status);
    written.outcome = outcome.get().passed() ? REHEARSAL_PASSED : OUTCOME_FAILED;
    written.message = outcome.get().message();
    written.migrationSeconds = outcome.get().migrationTime().map(Duration::toSeconds).orElse(null);
  }

  /**
   * Records a transition in {@code status.steps}: the step left is completed (Failed when the
   * transition records a failure), the step entered is started. A new attempt starts a new list.
   */
  public static void recordStep(
      MetadataUpgradeStatus status, UpgradeProgress before, UpgradeProgress after, Instant now) {
    if (before.attempt() != after.attempt()) {
      status.steps = new ArrayList<>();
      status.downtime = null;
    }
    recordDowntime(status, after, now);
    String entered = stepName(after);
    UpgradeStep last = status.steps.isEmpty() ? null : status.steps.get(status.steps.size() - 1);
    if (last != null && last.completedAt == null && last.name.equals(entered)) {
      return;
    }
    if (last != null && last.completedAt == null) {
      boolean failed =
          !after.failure().equals(before.failure())
              || !after.rollbackFailure().equals(before.rollbackFailure());
      last.completedAt = now.toString();
      last.durationSeconds = Duration.between(Instant.parse(last.startedAt), now).toSeconds();
      last.outcome = failed ? OUTCOME_FAILED : OUTCOME_SUCCEEDED;
      last.message = after.message();
    }
    if (!after.phase().isTerminal() && after.phase() != UpgradePhase.PENDING) {
      UpgradeStep step = new UpgradeStep();
      step.name = entered;
      step.startedAt = after.stepStartedAt().orElse(now).toString();
      step.message = after.message();
      status.steps.add(step);
    }
  }

  /**
   * Opens the downtime window when the server starts to scale down, and closes it when a verified
   * version serves again: Succeeded, or RolledBack. A Failed upgrade leaves it open: the server may
   * still be down, and the message says what to do.
   */
  private static void recordDowntime(
      MetadataUpgradeStatus status, UpgradeProgress after, Instant now) {
    if (after.phase() == UpgradePhase.SCALING_DOWN && status.downtime == null) {
      status.downtime = new Downtime();
      status.downtime.startedAt = now.toString();
    }
    boolean serving =
        after.phase() == UpgradePhase.SUCCEEDED || after.phase() == UpgradePhase.ROLLED_BACK;
    if (serving && status.downtime != null && status.downtime.endedAt == null) {
      status.downtime.endedAt = now.toString();
      status.downtime.seconds =
          Duration.between(Instant.parse(status.downtime.startedAt), now).toSeconds();
    }
  }

  /**
   * Marks the crossed breaking changes approved or pending by the approvals of the spec now, so a
   * person sees what is still missing while the upgrade waits.
   */
  public static void refreshApprovals(MetadataUpgradeStatus status, Set<String> approved) {
    status.breakingChanges.forEach(change -> change.approved = approved.contains(change.id));
    ApprovalReview review = ApprovalReview.of(readCrossed(status), approved);
    status.pendingApprovals = new ArrayList<>(review.pending());
    status.unmatchedApprovals = new ArrayList<>(review.unmatched());
  }

  /** The planner's phase of a {@code status.phase}; none is a fresh upgrade. */
  public static UpgradePhase phase(MetadataUpgradePhase written) {
    return UpgradePhase.fromValue(written == null ? null : written.name());
  }

  /** {@code Migrating}, or {@code RollingBack/Restoring} inside a rollback. */
  static String stepName(UpgradeProgress progress) {
    return progress.phase().value()
        + progress.rollbackStep().map(step -> "/" + upperCamel(step.name())).orElse("");
  }

  private static String upperCamel(String constant) {
    StringBuilder out = new StringBuilder();
    for (String word : constant.split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  // ---- The plan: present exactly when status.targetImage is.

  private static Optional<UpgradePlan> readPlan(MetadataUpgradeStatus status) {
    if (status.targetImage == null) {
      return Optional.empty();
    }
    return Optional.of(
        new UpgradePlan(
            Version.parse(status.fromVersion),
            Version.parse(status.toVersion),
            Version.parse(status.previousServerVersion),
            status.previousImage,
            Optional.ofNullable(status.previousIngestionImage),
            status.previousReplicas,
            status.targetImage,
            Optional.ofNullable(status.targetIngestionImage),
            new MigrationCommand(status.migrationCommand, status.migrationWorkingDir),
            readCrossed(status),
            new ApprovalReview(status.pendingApprovals, status.unmatchedApprovals),
            status.warnings.stream()
                .map(w -> new PathWarning(PathWarning.Code.valueOf(w.code), w.message))
                .toList(),
            status.plannedSteps.stream().map(UpgradePhase::fromValue).toList(),
            Optional.ofNullable(status.gitOps),
            Objects.requireNonNullElse(status.requiredActions, List.of())));
  }

  private static List<CatalogueEntry> readCrossed(MetadataUpgradeStatus status) {
    return status.crossedReleases.stream()
        .map(
            release ->
                new CatalogueEntry(
                    MinorVersion.parse(release.version),
                    release.mandatoryStop,
                    status.breakingChanges.stream()
                        .filter(change -> release.version.equals(change.version))
                        .map(
                            change ->
                                new BreakingChange(
                                    change.id,
                                    change.summary,
                                    change.action,
                                    change.requiresApproval))
                        .toList()))
        .toList();
  }

  private static void writePlan(Optional<UpgradePlan> maybePlan, MetadataUpgradeStatus status) {
    UpgradePlan plan = maybePlan.orElse(null);
    status.fromVersion = plan == null ? null : plan.from().toString();
    status.toVersion = plan == null ? null : plan.to().toString();
    status.previousServerVersion = plan == null ? null : plan.previousServerVersion().toString();
    status.previousImage = plan == null ? null : plan.previousImage();
    status.previousIngestionImage =
        plan == null ? null : plan.previousIngestionImage().orElse(null);
    status.previousReplicas = plan == null ? null : plan.previousReplicas();
    status.targetImage = plan == null ? null : plan.targetImage();
    status.targetIngestionImage = plan == null ? null : plan.targetIngestionImage().orElse(null);
    status.migrationCommand = plan == null ? null : plan.migration().command();
    status.migrationWorkingDir = plan == null ? null : plan.migration().workingDir();
    status.plannedSteps =
        plan == null ? null : plan.steps().stream().map(UpgradePhase::value).toList();
    status.gitOps = plan == null ? null : plan.gitSource().orElse(null);
    status.crossedReleases = new ArrayList<>();
    status.breakingChanges = new ArrayList<>();
    status.pendingApprovals = new ArrayList<>();
    status.unmatchedApprovals = new ArrayList<>();
    status.warnings = new ArrayList<>();
    status.plan = new ArrayList<>();
    status.requiredActions = new ArrayList<>();
    if (plan == null) {
      return;
    }
    status.requiredActions.addAll(plan.manualActions());
    for (CatalogueEntry entry : plan.crossed()) {
      CrossedRelease release = new CrossedRelease();
      release.version = entry.minor().toString();
      release.mandatoryStop = entry.mandatoryStop();
      status.crossedReleases.add(release);
      for (BreakingChange change : entry.changes()) {
        io.metadataops.api.BreakingChange written = new io.metadataops.api.BreakingChange();
        written.id = change.id();
        written.version = release.version;
        written.summary = change.summary();
        written.action = change.action();
        written.requiresApproval = change.requiresApproval();
        written.approved =
            change.requiresApproval() && !plan.approvals().pending().contains(change.id());
        status.breakingChanges.add(written);
      }
    }
    status.pendingApprovals.addAll(plan.approvals().pending());
    status.unmatchedApprovals.addAll(plan.approvals().unmatched());
    for (PathWarning warning : plan.warnings()) {
      UpgradeWarning written = new UpgradeWarning();
      written.code = warning.code().name();
      written.message = warning.message();
      status.warnings.add(written);
    }
    status.plan = describe(plan);
  }

  /** The plan for people, one line per step. */
  static List<String> describe(UpgradePlan plan) {
    List<String> lines = new ArrayList<>();
    for (UpgradePhase step : plan.steps()) {
      lines.add(step.value() + ": " + describe(plan, step));
    }
    plan.manualActions().forEach(action -> lines.add("By hand: " + action));
    return lines;
  }

  private static String describe(UpgradePlan plan, UpgradePhase step) {
    return switch (step) {
      case VALIDATING -> "upgrade from " + plan.from() + " to " + plan.to() + " is allowed";
      case AWAITING_APPROVAL ->
          "wait until spec.approvedChanges names " + String.join(", ", plan.approvals().pending());
      case PRE_FLIGHT ->
          "back up the serving database and verify the dump by restore into a scratch database,"
              + " before any downtime";
      case REHEARSING ->
          "restore the pre-flight dump into a scratch database, run "
              + String.join(" ", plan.migration().command())
              + " with "
              + plan.targetImage()
              + " on it, then drop it, before any downtime";
      case BACKING_UP ->
          "back up the stopped database with a MetadataBackup: the backup a rollback restores";
      case SCALING_DOWN ->
          "scale the server from " + plan.previousReplicas() + " replica(s) down to 0";
      case MIGRATING ->
          "run " + String.join(" ", plan.migration().command()) + " with " + plan.targetImage();
      case ROLLING_OUT ->
          "run "
              + plan.targetImage()
              + " with "
              + plan.previousReplicas()
              + " replica(s)"
              + plan.targetIngestionImage().map(i -> " and ingestion " + i).orElse("");
      case VERIFYING -> "check that the version endpoint reports " + plan.to();
      case REINDEXING ->
          "rebuild the search indexes with "
              + plan.targetImage()
              + " (openmetadata-ops.sh reindex); a failure here rolls nothing back";
      default -> step.value();
    };
  }

  // ---- Failures

  private static Optional<Failure> readFailure(UpgradeFailure failure) {
    if (failure == null) {
      return Optional.empty();
    }
    FailureReason reason =
        Arrays.stream(FailureReason.values())
            .filter(r -> r.conditionReason().equals(failure.reason))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("unknown failure reason '" + failure.reason + "'"));
    return Optional.of(
        new Failure(
            reason,
            failure.message,
            UpgradePhase.fromValue(failure.step),
            Instant.parse(failure.time)));
  }

  private static UpgradeFailure writeFailure(Failure failure) {
    UpgradeFailure written = new UpgradeFailure();
    written.step = failure.phase().value();
    written.reason = failure.reason().conditionReason();
    written.message = failure.message();
    written.time = failure.at().toString();
    return written;
  }
}
