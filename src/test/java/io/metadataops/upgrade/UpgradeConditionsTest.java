package io.metadataops.upgrade;

import static io.metadataops.conditions.ConditionStatus.FALSE;
import static io.metadataops.conditions.ConditionStatus.TRUE;
import static io.metadataops.conditions.ConditionStatus.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.conditions.ConditionStatus;
import io.metadataops.conditions.ConditionTypes;
import io.metadataops.upgrade.UpgradeConditions.Step;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class UpgradeConditionsTest {

  private static final Failure MIGRATION_FAILED =
      new Failure(
          FailureReason.MIGRATION_FAILED, "exit 1", UpgradePhase.MIGRATING, PlannerFixture.STARTED);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // phase,         Ready, Succeeded, Failed, RolledBack, Stalled, Reconciling
    "PENDING,           FALSE, UNKNOWN, FALSE, FALSE,   FALSE, TRUE",
    "VALIDATING,        FALSE, UNKNOWN, FALSE, FALSE,   FALSE, TRUE",
    "AWAITING_APPROVAL, FALSE, UNKNOWN, FALSE, FALSE,   FALSE, TRUE",
    "BACKING_UP,        FALSE, UNKNOWN, FALSE, FALSE,   FALSE, TRUE",
    "SCALING_DOWN,      FALSE, UNKNOWN, FALSE, FALSE,   FALSE, TRUE",
    "MIGRATING,         FALSE, UNKNOWN, FALSE, FALSE,   FALSE, TRUE",
    "ROLLING_OUT,       FALSE, UNKNOWN, FALSE, FALSE,   FALSE, TRUE",
    "VERIFYING,         FALSE, UNKNOWN, FALSE, FALSE,   FALSE, TRUE",
    "ROLLING_BACK,      FALSE, UNKNOWN, FALSE, UNKNOWN, FALSE, TRUE",
    "SUCCEEDED,         TRUE,  TRUE,    FALSE, FALSE,   FALSE, FALSE",
    "PLANNED,           TRUE,  FALSE,   FALSE, FALSE,   FALSE, FALSE",
    "ROLLED_BACK,       FALSE, FALSE,   TRUE,  TRUE,    FALSE, FALSE",
    "STALLED,           FALSE, FALSE,   TRUE,  FALSE,   TRUE,  FALSE",
    "FAILED,            FALSE, FALSE,   TRUE,  FALSE,   TRUE,  FALSE",
  })
  void overallConditionsFollowThePhase(
      UpgradePhase phase,
      ConditionStatus ready,
      ConditionStatus succeeded,
      ConditionStatus failed,
      ConditionStatus rolledBack,
      ConditionStatus stalled,
      ConditionStatus reconciling) {
    Map<String, UpgradeCondition> conditions = derive(progress(phase), false);

    assertThat(conditions.get(ConditionTypes.READY).status()).isEqualTo(ready);
    assertThat(conditions.get(ConditionTypes.SUCCEEDED).status()).isEqualTo(succeeded);
    assertThat(conditions.get(ConditionTypes.FAILED).status()).isEqualTo(failed);
    assertThat(conditions.get(UpgradeConditions.ROLLED_BACK).status()).isEqualTo(rolledBack);
    assertThat(conditions.get(ConditionTypes.STALLED).status()).isEqualTo(stalled);
    assertThat(conditions.get(ConditionTypes.RECONCILING).status()).isEqualTo(reconciling);
  }

  @Test
  void everyTerminalPhaseEndsAKubectlWait() {
    for (UpgradePhase phase : UpgradePhase.values()) {
      Map<String, UpgradeCondition> conditions = derive(progress(phase), false);
      boolean waitEnds =
          conditions.get(ConditionTypes.SUCCEEDED).status() == TRUE
              || conditions.get(ConditionTypes.FAILED).status() == TRUE;
      assertThat(waitEnds || phase == UpgradePhase.PLANNED)
          .as("phase %s", phase)
          .isEqualTo(phase.isTerminal());
    }
  }

  @Test
  void listsEveryConditionTypeOnce() {
    List<UpgradeCondition> conditions =
        UpgradeConditions.derive(progress(UpgradePhase.MIGRATING), false);

    assertThat(conditions)
        .extracting(UpgradeCondition::type)
        .containsExactly(
            "Validated",
            "Approved",
            "PreFlightChecked",
            "Rehearsed",
            "BackedUp",
            "Migrated",
            "RolledOut",
            "Verified",
            "Ready",
            "Succeeded",
            "Failed",
            "RolledBack",
            "Stalled",
            "Reconciling");
  }

  @Test
  void stepsBeforeTheFailureAreTrueTheFailedOneFalseTheRestUnknown() {
    Map<String, UpgradeCondition> conditions = derive(progress(UpgradePhase.ROLLED_BACK), false);

    assertThat(conditions.get(Step.VALIDATED.type()).status()).isEqualTo(TRUE);
    assertThat(conditions.get(Step.BACKED_UP.type()).status()).isEqualTo(TRUE);
    assertThat(conditions.get(Step.MIGRATED.type()))
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo(FALSE);
              assertThat(c.reason()).isEqualTo("MigrationFailed");
              assertThat(c.message()).isEqualTo("exit 1");
            });
    assertThat(conditions.get(Step.ROLLED_OUT.type()).status()).isEqualTo(UNKNOWN);
    assertThat(conditions.get(Step.VERIFIED.type()).status()).isEqualTo(UNKNOWN);
    assertThat(conditions.get(ConditionTypes.FAILED).reason()).isEqualTo("MigrationFailed");
  }

  @Test
  void skippedStepsSayWhy() {
    Map<String, UpgradeCondition> conditions = derive(progress(UpgradePhase.SUCCEEDED), false);

    assertThat(conditions.get(Step.APPROVED.type()))
        .extracting(UpgradeCondition::status, UpgradeCondition::reason)
        .containsExactly(TRUE, "NotRequired");
    assertThat(conditions.get(Step.VERIFIED.type()).status()).isEqualTo(TRUE);
  }

  @Test
  void alreadyAtTargetRanOnlyTheValidation() {
    UpgradeProgress nothingToDo =
        UpgradeProgress.newAttempt(1, PlannerFixture.STARTED, "")
            .enter(UpgradePhase.SUCCEEDED, PlannerFixture.STARTED, "already there");

    Map<String, UpgradeCondition> conditions = derive(nothingToDo, false);

    assertThat(conditions.get(Step.VALIDATED.type()).reason()).isEqualTo("Completed");
    assertThat(conditions.get(Step.MIGRATED.type()).reason()).isEqualTo("NotRequired");
    assertThat(conditions.get(Step.BACKED_UP.type()).reason()).isEqualTo("NotRequired");
    assertThat(conditions.get(ConditionTypes.SUCCEEDED).status()).isEqualTo(TRUE);
  }

  @Test
  void awaitingApprovalIsAFalseApprovedCondition() {
    PlannerFixture fixture = new PlannerFixture();
    fixture.approvedChanges = Set.of();
    UpgradeProgress awaiting = fixture.in(UpgradePhase.AWAITING_APPROVAL).progress;

    Map<String, UpgradeCondition> conditions = derive(awaiting, false);

    assertThat(conditions.get(Step.VALIDATED.type()).status()).isEqualTo(TRUE);
    assertThat(conditions.get(Step.APPROVED.type()))
        .extracting(UpgradeCondition::status, UpgradeCondition::reason)
        .containsExactly(FALSE, "AwaitingApproval");
    assertThat(conditions.get(Step.BACKED_UP.type()).reason()).isEqualTo("NotStarted");
  }

  @Test
  void disabledBackupIsAFalseBackedUpCondition() {
    PlannerFixture fixture = new PlannerFixture();
    fixture.backupEnabled = false;
    fixture.backupDisabledAcknowledged = true;

    Map<String, UpgradeCondition> conditions =
        derive(fixture.in(UpgradePhase.MIGRATING).progress, false);

    assertThat(conditions.get(Step.BACKED_UP.type()))
        .extracting(UpgradeCondition::status, UpgradeCondition::reason)
        .containsExactly(FALSE, "BackupDisabled");
  }

  @Test
  void theRehearsalIsAStepConditionOnlyWhenTheSpecAsksForIt() {
    assertThat(derive(progress(UpgradePhase.MIGRATING), false).get(Step.REHEARSED.type()))
        .extracting(UpgradeCondition::status, UpgradeCondition::reason)
        .containsExactly(FALSE, "NotRequested");

    PlannerFixture fixture = new PlannerFixture();
    fixture.rehearsalEnabled = true;
    UpgradeProgress rehearsing = fixture.in(UpgradePhase.REHEARSING).progress;
    assertThat(derive(rehearsing, false).get(Step.REHEARSED.type()).reason())
        .isEqualTo("InProgress");
    assertThat(derive(rehearsing, false).get(Step.PRE_FLIGHT_CHECKED.type()).status())
        .isEqualTo(TRUE);
    assertThat(
            derive(fixture.in(UpgradePhase.BACKING_UP).progress, false)
                .get(Step.REHEARSED.type())
                .status())
        .isEqualTo(TRUE);

    Failure failed =
        new Failure(
            FailureReason.REHEARSAL_FAILED,
            "failed on a copy",
            UpgradePhase.REHEARSING,
            PlannerFixture.STARTED);
    Map<String, UpgradeCondition> conditions =
        derive(
            rehearsing
                .withFailure(failed)
                .enter(UpgradePhase.FAILED, PlannerFixture.STARTED, "failed on a copy"),
            false);
    assertThat(conditions.get(Step.REHEARSED.type()))
        .extracting(UpgradeCondition::status, UpgradeCondition::reason)
        .containsExactly(FALSE, "RehearsalFailed");
    assertThat(conditions.get(Step.MIGRATED.type()).reason()).isEqualTo("NotStarted");
    assertThat(conditions.get(ConditionTypes.FAILED).reason()).isEqualTo("RehearsalFailed");
  }

  @Test
  void pausedIsNotReconciling() {
    Map<String, UpgradeCondition> conditions = derive(progress(UpgradePhase.MIGRATING), true);

    assertThat(conditions.get(ConditionTypes.RECONCILING))
        .extracting(UpgradeCondition::status, UpgradeCondition::reason)
        .containsExactly(FALSE, "Paused");
  }

  @Test
  void rollbackFailureIsTheReasonOfFailed() {
    Failure rollbackFailed =
        new Failure(
            FailureReason.ROLLBACK_FAILED,
            "restore failed",
            UpgradePhase.ROLLING_BACK,
            PlannerFixture.STARTED);
    UpgradeProgress failed = progress(UpgradePhase.FAILED).withRollbackFailure(rollbackFailed);

    Map<String, UpgradeCondition> conditions = derive(failed, false);

    assertThat(conditions.get(ConditionTypes.FAILED).reason()).isEqualTo("RollbackFailed");
    assertThat(conditions.get(UpgradeConditions.ROLLED_BACK))
        .extracting(UpgradeCondition::status, UpgradeCondition::reason)
        .containsExactly(FALSE, "RollbackFailed");
  }

  @Test
  void phasesRoundTripThroughTheirStatusValue() {
    for (UpgradePhase phase : UpgradePhase.values()) {
      assertThat(UpgradePhase.fromValue(phase.value())).isEqualTo(phase);
    }
    assertThat(UpgradePhase.fromValue(null)).isEqualTo(UpgradePhase.PENDING);
    assertThat(UpgradePhase.ROLLED_BACK.value()).isEqualTo("RolledBack");
  }

  /** A validated attempt in {@code phase}; failure phases carry a migration failure. */
  private static UpgradeProgress progress(UpgradePhase phase) {
    if (phase == UpgradePhase.PENDING) {
      return UpgradeProgress.pending();
    }
    UpgradeProgress progress = new PlannerFixture().in(phase).progress;
    return switch (phase) {
      case ROLLING_BACK, ROLLED_BACK, FAILED -> progress.withFailure(MIGRATION_FAILED);
      case STALLED ->
          progress.withFailure(
              new Failure(
                  FailureReason.DOWNGRADE, "no", UpgradePhase.VALIDATING, PlannerFixture.STARTED));
      default -> progress;
    };
  }

  private static Map<String, UpgradeCondition> derive(UpgradeProgress progress, boolean paused) {
    return UpgradeConditions.derive(progress, paused).stream()
        .collect(Collectors.toMap(UpgradeCondition::type, Function.identity()));
  }
}
