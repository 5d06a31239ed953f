package io.metadataops.upgrade;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the status records about an upgrade: the planner reads it and returns the next one in a
 * {@link UpgradeAction.Transition}. The controller stores it in {@code status} (and reads it back)
 * field by field.
 *
 * @param attempt the {@code metadata.generation} this attempt was started for; children are named
 *     after it, and a newer generation restarts a finished attempt
 * @param rollbackStep the step inside {@link UpgradePhase#ROLLING_BACK}
 * @param stepStartedAt when the current phase (or rollback step) started: timeouts count from here
 * @param backupName the {@code MetadataBackup} taken by this attempt, restored on rollback
 * @param failure the failure that ended the forward path
 * @param rollbackFailure the failure of the rollback itself
 * @param rehearsal how the rehearsal migration ended, once it has
 * @param message the latest human-readable message
 */
public record UpgradeProgress(
    UpgradePhase phase,
    long attempt,
    Optional<RollbackStep> rollbackStep,
    Optional<Instant> stepStartedAt,
    Optional<UpgradePlan> plan,
    Optional<String> backupName,
    Optional<Failure> failure,
    Optional<Failure> rollbackFailure,
    Optional<RehearsalOutcome> rehearsal,
    String message) {

  /** Every component is required: {@code List.of} refuses a null one. */
  public UpgradeProgress {
    List.of(
        phase,
        rollbackStep,
        stepStartedAt,
        plan,
        backupName,
        failure,
        rollbackFailure,
        rehearsal,
        message);
  }

  /** The status of an upgrade nobody has looked at yet. */
  public static UpgradeProgress pending() {
    return new UpgradeProgress(
        UpgradePhase.PENDING,
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "");
  }

  /** A fresh attempt for {@code generation}, in phase Validating; earlier results are dropped. */
  static UpgradeProgress newAttempt(long generation, Instant now, String message) {
    return new UpgradeProgress(
        UpgradePhase.VALIDATING,
        generation,
        Optional.empty(),
        Optional.of(now),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        message);
  }

  /** Enters a phase (leaving any rollback step) now. */
  UpgradeProgress enter(UpgradePhase next, Instant now, String message) {
    return entering(next, Optional.empty(), now, message);
  }

  /** Enters a rollback step now. */
  UpgradeProgress enter(RollbackStep step, Instant now, String message) {
    return entering(UpgradePhase.ROLLING_BACK, Optional.of(step), now, message);
  }

  private UpgradeProgress entering(
      UpgradePhase next, Optional<RollbackStep> step, Instant now, String newMessage) {
    return new UpgradeProgress(
        next,
        attempt,
        step,
        Optional.of(now),
        plan,
        backupName,
        failure,
        rollbackFailure,
        rehearsal,
        newMessage);
  }

  UpgradeProgress withPlan(UpgradePlan newPlan) {
    return with(Optional.of(newPlan), backupName, failure, rollbackFailure, rehearsal, message);
  }

  UpgradeProgress withBackup(String name) {
    return with(plan, Optional.of(name), failure, rollbackFailure, rehearsal, message);
  }

  UpgradeProgress withFailure(Failure newFailure) {
    return with(plan, backupName, Optional.of(newFailure), rollbackFailure, rehearsal, message);
  }

  UpgradeProgress withRollbackFailure(Failure newFailure) {
    return with(plan, backupName, failure, Optional.of(newFailure), rehearsal, message);
  }

  /** The same step, with the rehearsal's outcome recorded and its message. */
  UpgradeProgress withRehearsal(RehearsalOutcome outcome, String newMessage) {
    return with(plan, backupName, failure, rollbackFailure, Optional.of(outcome), newMessage);
  }

  /** The same step with other results. */
  private UpgradeProgress with(
      Optional<UpgradePlan> newPlan,
      Optional<String> newBackupName,
      Optional<Failure> newFailure,
      Optional<Failure> newRollbackFailure,
      Optional<RehearsalOutcome> newRehearsal,
      String newMessage) {
    return new UpgradeProgress(
        phase,
        attempt,
        rollbackStep,
        stepStartedAt,
        newPlan,
        newBackupName,
        newFailure,
        newRollbackFailure,
        newRehearsal,
        newMessage);
  }
}
