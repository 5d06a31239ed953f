package io.metadataops.upgrade;

import io.metadataops.upgrade.UpgradeCondition.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The status conditions of a {@code MetadataUpgrade}, derived from its recorded progress only, so
 * they can never disagree with the phase. Both {@code kubectl wait --for=condition=Succeeded} and
 * {@code --for=condition=Failed} end: every terminal phase sets one of them True.
 */
public final class UpgradeConditions {

  // Per step.
  public static final String VALIDATED = "Validated";
  public static final String APPROVED = "Approved";
  public static final String PRE_FLIGHT_CHECKED = "PreFlightChecked";
  public static final String REHEARSED = "Rehearsed";
  public static final String BACKED_UP = "BackedUp";
  public static final String MIGRATED = "Migrated";
  public static final String ROLLED_OUT = "RolledOut";
  public static final String VERIFIED = "Verified";

  // Overall; Ready, Reconciling and Stalled follow kstatus.
  public static final String READY = "Ready";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String STALLED = "Stalled";
  public static final String RECONCILING = "Reconciling";

  public static final List<String> STEP_TYPES =
      List.of(
          VALIDATED,
          APPROVED,
          PRE_FLIGHT_CHECKED,
          REHEARSED,
          BACKED_UP,
          MIGRATED,
          ROLLED_OUT,
          VERIFIED);
  public static final List<String> OVERALL_TYPES =
      List.of(READY, SUCCEEDED, FAILED, ROLLED_BACK, STALLED, RECONCILING);

  /** The step each condition reports on; scaling down belongs to the migration it prepares. */
  private record StepCondition(String type, Set<UpgradePhase> phases) {}

  private static final List<StepCondition> STEPS =
      List.of(
          new StepCondition(VALIDATED, Set.of(UpgradePhase.VALIDATING)),
          new StepCondition(APPROVED, Set.of(UpgradePhase.AWAITING_APPROVAL)),
          new StepCondition(PRE_FLIGHT_CHECKED, Set.of(UpgradePhase.PRE_FLIGHT)),
          new StepCondition(REHEARSED, Set.of(UpgradePhase.REHEARSING)),
          new StepCondition(BACKED_UP, Set.of(UpgradePhase.BACKING_UP)),
          new StepCondition(MIGRATED, Set.of(UpgradePhase.SCALING_DOWN, UpgradePhase.MIGRATING)),
          new StepCondition(ROLLED_OUT, Set.of(UpgradePhase.ROLLING_OUT)),
          new StepCondition(VERIFIED, Set.of(UpgradePhase.VERIFYING)));

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
    STEPS.forEach(step -> conditions.add(stepCondition(step, progress)));
    conditions.addAll(overall(progress, paused));
    return conditions;
  }

  private static UpgradeCondition stepCondition(StepCondition step, UpgradeProgress progress) {
    UpgradePhase phase = progress.phase();
    String message = progress.message();
    // Without a plan, a success means the server was already at the target: only validation ran.
    boolean skipped =
        progress
            .plan()
            .map(plan -> plan.steps().stream().noneMatch(step.phases()::contains))
            .orElse(phase == UpgradePhase.SUCCEEDED && !step.type().equals(VALIDATED));
    if (skipped) {
      return skippedStep(step.type(), progress.plan().isPresent());
    }
    if (phase == UpgradePhase.SUCCEEDED) {
      return condition(step.type(), Status.TRUE, "Completed", message);
    }
    if (phase == UpgradePhase.PLANNED) {
      return step.type().equals(VALIDATED)
          ? condition(step.type(), Status.TRUE, "Completed", "")
          : condition(step.type(), Status.UNKNOWN, "DryRun", "A dry run stops after planning.");
    }
    UpgradePhase reached = reachedPhase(progress);
    int first = step.phases().stream().mapToInt(Enum::ordinal).min().orElseThrow();
    int last = step.phases().stream().mapToInt(Enum::ordinal).max().orElseThrow();
    if (reached.ordinal() > last) {
      return condition(step.type(), Status.TRUE, "Completed", "");
    }
    if (reached.ordinal() < first) {
      return condition(step.type(), Status.UNKNOWN, "NotStarted", "");
    }
    if (FAILURE_PHASES.contains(phase)) {
      Failure failure = progress.failure().orElseThrow();
      return condition(
          step.type(), Status.FALSE, failure.reason().conditionReason(), failure.message());
    }
    return reached == UpgradePhase.AWAITING_APPROVAL
        ? condition(step.type(), Status.FALSE, "AwaitingApproval", message)
        : condition(step.type(), Status.UNKNOWN, "InProgress", message);
  }

  /** A step the plan leaves out: disabled by the spec, or not needed. */
  private static UpgradeCondition skippedStep(String type, boolean planned) {
    if (planned && type.equals(BACKED_UP)) {
      return condition(type, Status.FALSE, "BackupDisabled", "The spec disabled the backup.");
    }
    if (planned && type.equals(PRE_FLIGHT_CHECKED)) {
      return condition(
          type,
          Status.FALSE,
          "PreFlightDisabled",
          "The spec disabled the pre-flight or the backup.");
    }
    if (planned && type.equals(REHEARSED)) {
      return condition(
          type, Status.FALSE, "NotRequested", "The spec does not ask for a rehearsal (opt-in).");
    }
    return condition(type, Status.TRUE, "NotRequired", "Nothing to do in this step.");
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
            ? condition(SUCCEEDED, Status.TRUE, phase.value(), message)
            : failed || phase == UpgradePhase.PLANNED
                ? condition(SUCCEEDED, Status.FALSE, outcome, message)
                : condition(SUCCEEDED, Status.UNKNOWN, phase.value(), message);
    UpgradeCondition rolledBack =
        switch (phase) {
          case ROLLED_BACK -> condition(ROLLED_BACK, Status.TRUE, phase.value(), message);
          case ROLLING_BACK -> condition(ROLLED_BACK, Status.UNKNOWN, phase.value(), message);
          default ->
              progress.rollbackFailure().isPresent()
                  ? condition(ROLLED_BACK, Status.FALSE, outcome, message)
                  : condition(ROLLED_BACK, Status.FALSE, "NotRolledBack", "");
        };
    UpgradeCondition reconciling =
        phase.isTerminal()
            ? condition(RECONCILING, Status.FALSE, phase.value(), "")
            : paused
                ? condition(RECONCILING, Status.FALSE, "Paused", "Paused by the spec.")
                : condition(RECONCILING, Status.TRUE, phase.value(), message);
    boolean stalled = phase == UpgradePhase.STALLED || phase == UpgradePhase.FAILED;
    return List.of(
        condition(
            READY, ready ? Status.TRUE : Status.FALSE, ready ? phase.value() : outcome, message),
        succeeded,
        flag(FAILED, failed, outcome, phase, message),
        rolledBack,
        flag(STALLED, stalled, outcome, phase, message),
        reconciling);
  }

  /** A condition that is True (with the outcome and message) only when {@code on}. */
  private static UpgradeCondition flag(
      String type, boolean on, String outcome, UpgradePhase phase, String message) {
    return on
        ? condition(type, Status.TRUE, outcome, message)
        : condition(type, Status.FALSE, phase.value(), "");
  }

  private static UpgradeCondition condition(
      String type, Status status, String reason, String message) {
    return new UpgradeCondition(type, status, reason, message);
  }
}
