package io.metadataops.upgrade;

import static io.metadataops.conditions.ConditionStatus.FALSE;
import static io.metadataops.conditions.ConditionStatus.TRUE;
import static io.metadataops.conditions.ConditionStatus.UNKNOWN;
import static io.metadataops.conditions.ConditionTypes.FAILED;
import static io.metadataops.conditions.ConditionTypes.READY;
import static io.metadataops.conditions.ConditionTypes.RECONCILING;
import static io.metadataops.conditions.ConditionTypes.STALLED;
import static io.metadataops.conditions.ConditionTypes.SUCCEEDED;

import io.metadataops.conditions.ConditionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The status conditions of a {@code MetadataUpgrade}, derived from its recorded progress only, so
 * they can never disagree with the phase. Both {@code kubectl wait --for=condition=Succeeded} and
 * {@code --for=condition=Failed} end: every terminal phase sets one of them True.
 */
public final class UpgradeConditions {

  /** The steps with a condition of their own; scaling down belongs to the migration it prepares. */
  public enum Step {
    VALIDATED("Validated", UpgradePhase.VALIDATING),
    APPROVED("Approved", UpgradePhase.AWAITING_APPROVAL),
    PRE_FLIGHT_CHECKED("PreFlightChecked", UpgradePhase.PRE_FLIGHT),
    REHEARSED("Rehearsed", UpgradePhase.REHEARSING),
    BACKED_UP("BackedUp", UpgradePhase.BACKING_UP),
    MIGRATED("Migrated", UpgradePhase.SCALING_DOWN, UpgradePhase.MIGRATING),
    ROLLED_OUT("RolledOut", UpgradePhase.ROLLING_OUT),
    VERIFIED("Verified", UpgradePhase.VERIFYING);

    private final String type;
    private final Set<UpgradePhase> phases;

    Step(String type, UpgradePhase... phases) {
      this.type = type;
      this.phases = Set.of(phases);
    }

    /** The condition's {@code type}. */
    public String type() {
      return type;
    }
  }

  /**
   * Besides the types every kind sets ({@code ConditionTypes}): the outcome only an upgrade has.
   */
  public static final String ROLLED_BACK = "RolledBack";

  private static final Set<UpgradePhase> FAILURE_PHASES =
      Set.of(
          UpgradePhase.STALLED,
          UpgradePhase.FAILED,
          UpgradePhase.ROLLING_BACK,
          UpgradePhase.ROLLED_BACK);

  private UpgradeConditions() {}

  /** All conditions, step conditions first. */
  public static List<UpgradeCondition> derive(UpgradeProgress progress, boolean paused) {
    List<UpgradeCondition> conditions = new ArrayList<>();
    for (Step step : Step.values()) {
      conditions.add(stepCondition(step, progress));
    }
    conditions.addAll(overall(progress, paused));
    return conditions;
  }

  private static UpgradeCondition stepCondition(Step step, UpgradeProgress progress) {
    UpgradePhase phase = progress.phase();
    String message = progress.message();
    // Without a plan, a success means the server was already at the target: only validation ran.
    boolean skipped =
        progress
            .plan()
            .map(plan -> plan.steps().stream().noneMatch(step.phases::contains))
            .orElse(phase == UpgradePhase.SUCCEEDED && step != Step.VALIDATED);
    if (skipped) {
      return skippedStep(step, progress.plan().isPresent());
    }
    if (phase == UpgradePhase.SUCCEEDED) {
      return condition(step.type, TRUE, "Completed", message);
    }
    if (phase == UpgradePhase.PLANNED) {
      return step == Step.VALIDATED
          ? condition(step.type, TRUE, "Completed", "")
          : condition(step.type, UNKNOWN, "DryRun", "A dry run stops after planning.");
    }
    UpgradePhase reached = reachedPhase(progress);
    int first = step.phases.stream().mapToInt(Enum::ordinal).min().orElseThrow();
    int last = step.phases.stream().mapToInt(Enum::ordinal).max().orElseThrow();
    if (reached.ordinal() > last) {
      return condition(step.type, TRUE, "Completed", "");
    }
    if (reached.ordinal() < first) {
      return condition(step.type, UNKNOWN, "NotStarted", "");
    }
    if (FAILURE_PHASES.contains(phase)) {
      Failure failure = progress.failure().orElseThrow();
      return condition(step.type, FALSE, failure.reason().conditionReason(), failure.message());
    }
    return reached == UpgradePhase.AWAITING_APPROVAL
        ? condition(step.type, FALSE, "AwaitingApproval", message)
        : condition(step.type, UNKNOWN, "InProgress", message);
  }

  /** A step the plan leaves out: disabled by the spec, or not needed. */
  private static UpgradeCondition skippedStep(Step step, boolean planned) {
    String type = step.type;
    if (planned && step == Step.BACKED_UP) {
      return condition(type, FALSE, "BackupDisabled", "The spec disabled the backup.");
    }
    if (planned && step == Step.PRE_FLIGHT_CHECKED) {
      return condition(
          type, FALSE, "PreFlightDisabled", "The spec disabled the pre-flight or the backup.");
    }
    if (planned && step == Step.REHEARSED) {
      return condition(
          type, FALSE, "NotRequested", "The spec does not ask for a rehearsal (opt-in).");
    }
    return condition(type, TRUE, "NotRequired", "Nothing to do in this step.");
  }

  /** How far the forward path got: the failed phase after a failure, else the current one. */
  private static UpgradePhase reachedPhase(UpgradeProgress progress) {
    return FAILURE_PHASES.contains(progress.phase())
        ? progress.failure().map(Failure::phase).orElse(UpgradePhase.VALIDATING)
        : progress.phase();
  }

  private static List<UpgradeCondition> overall(UpgradeProgress progress, boolean paused) {
    UpgradePhase phase = progress.phase();
    String message = progress.message();
    String outcome =
        progress
            .rollbackFailure()
            .or(progress::failure)
            .map(f -> f.reason().conditionReason())
            .orElse(phase.value());
    boolean failed =
        phase == UpgradePhase.FAILED
            || phase == UpgradePhase.ROLLED_BACK
            || phase == UpgradePhase.STALLED;
    boolean ready = phase == UpgradePhase.SUCCEEDED || phase == UpgradePhase.PLANNED;

    UpgradeCondition succeeded =
        phase == UpgradePhase.SUCCEEDED
            ? condition(SUCCEEDED, TRUE, phase.value(), message)
            : failed || phase == UpgradePhase.PLANNED
                ? condition(SUCCEEDED, FALSE, outcome, message)
                : condition(SUCCEEDED, UNKNOWN, phase.value(), message);
    UpgradeCondition rolledBack =
        switch (phase) {
          case ROLLED_BACK -> condition(ROLLED_BACK, TRUE, phase.value(), message);
          case ROLLING_BACK -> condition(ROLLED_BACK, UNKNOWN, phase.value(), message);
          default ->
              progress.rollbackFailure().isPresent()
                  ? condition(ROLLED_BACK, FALSE, outcome, message)
                  : condition(ROLLED_BACK, FALSE, "NotRolledBack", "");
        };
    UpgradeCondition reconciling =
        phase.isTerminal()
            ? condition(RECONCILING, FALSE, phase.value(), "")
            : paused
                ? condition(RECONCILING, FALSE, "Paused", "Paused by the spec.")
                : condition(RECONCILING, TRUE, phase.value(), message);
    boolean stalled = phase == UpgradePhase.STALLED || phase == UpgradePhase.FAILED;
    return List.of(
        condition(READY, ConditionStatus.of(ready), ready ? phase.value() : outcome, message),
        succeeded,
        flag(FAILED, failed, outcome, phase, message),
        rolledBack,
        flag(STALLED, stalled, outcome, phase, message),
        reconciling);
  }

  /** A condition that is True (with the outcome and message) only when {@code on}. */
  private static UpgradeCondition flag(
      String type, boolean on, String outcome, UpgradePhase phase, String message) {
    return on ? condition(type, TRUE, outcome, message) : condition(type, FALSE, phase.value(), "");
  }

  private static UpgradeCondition condition(
      String type, ConditionStatus status, String reason, String message) {
    return new UpgradeCondition(type, status, reason, message);
  }
}
