package io.metadataops.upgrade;

import static io.metadataops.upgrade.PlannerFixture.CURRENT_IMAGE;
import static io.metadataops.upgrade.PlannerFixture.TARGET_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which server image the gate lets start, phase by phase. */
@Tag("unit")
class ServerGateTest {

  @ParameterizedTest
  @CsvSource({
    "AWAITING_APPROVAL, previous",
    "PRE_FLIGHT, previous",
    "SCALING_DOWN, none",
    "BACKING_UP, none",
    "MIGRATING, none",
    "ROLLING_OUT, target",
    "VERIFYING, target",
    "SUCCEEDED, target",
    "ROLLED_BACK, previous",
  })
  void followsTheDatabase(UpgradePhase phase, String allowed) {
    PlannerFixture f = new PlannerFixture().in(phase);
    assertThat(gate(f.progress).allowedImage()).isEqualTo(image(allowed));
  }

  @Test
  void noGateBeforeThereIsAPlan() {
    assertThat(ServerGate.desired(UpgradeProgress.pending(), "u")).isEmpty();
    PlannerFixture planned = new PlannerFixture().validated();
    assertThat(
            ServerGate.desired(
                planned.progress.enter(UpgradePhase.STALLED, PlannerFixture.STARTED, ""), "u"))
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "STOPPING_WRITERS, none",
    "RESTORING, none",
    "AWAITING_GIT, previous",
    "REDEPLOYING, previous",
    "VERIFYING, previous"
  })
  void aRollbackReopensForThePreviousImageOnceTheDatabaseIsRestored(
      RollbackStep step, String allowed) {
    PlannerFixture f = new PlannerFixture().rollingBack(step, UpgradePhase.MIGRATING);
    assertThat(gate(f.progress).allowedImage()).isEqualTo(image(allowed));
  }

  @Test
  void aFailureThatLeftTheDatabaseUnknownKeepsEveryServerOut() {
    PlannerFixture f =
        new PlannerFixture().rollingBack(RollbackStep.RESTORING, UpgradePhase.MIGRATING);
    UpgradeProgress failed = f.progress.enter(UpgradePhase.FAILED, PlannerFixture.STARTED, "");
    assertThat(gate(failed).allowedImage()).isEmpty();
    assertThat(gate(failed).reason()).contains("could not restore the database");

    PlannerFixture early = new PlannerFixture().in(UpgradePhase.PRE_FLIGHT);
    UpgradeProgress preFlightFailed =
        early
            .progress
            .withFailure(
                new Failure(
                    FailureReason.PRE_FLIGHT_FAILED,
                    "x",
                    UpgradePhase.PRE_FLIGHT,
                    PlannerFixture.STARTED))
            .enter(UpgradePhase.FAILED, PlannerFixture.STARTED, "");
    assertThat(gate(preFlightFailed).allowedImage()).contains(CURRENT_IMAGE);
  }

  @Test
  void recordsThePairWhoseMigrationFailedButNotABackupThatFailed() {
    PlannerFixture f =
        new PlannerFixture().rollingBack(RollbackStep.VERIFYING, UpgradePhase.MIGRATING);
    UpgradeProgress rolledBack =
        f.progress.enter(UpgradePhase.ROLLED_BACK, PlannerFixture.STARTED, "");
    assertThat(gate(rolledBack).failedUpgrade()).contains("1.9.3->1.10.1");

    PlannerFixture backup = new PlannerFixture().in(UpgradePhase.BACKING_UP);
    UpgradeProgress backupFailed =
        backup
            .progress
            .withFailure(
                new Failure(
                    FailureReason.BACKUP_FAILED,
                    "x",
                    UpgradePhase.BACKING_UP,
                    PlannerFixture.STARTED))
            .enter(UpgradePhase.ROLLED_BACK, PlannerFixture.STARTED, "");
    assertThat(gate(backupFailed).failedUpgrade()).isEmpty();
    assertThat(gate(new PlannerFixture().in(UpgradePhase.SUCCEEDED).progress).failedUpgrade())
        .isEmpty();
  }

  @Test
  void theReasonNamesTheUpgradeAndTheImage() {
    ServerGate gate = gate(new PlannerFixture().in(UpgradePhase.ROLLING_OUT).progress);
    assertThat(gate.reason())
        .isEqualTo(
            "MetadataUpgrade to-1-10 migrated the database to 1.10.1: only "
                + TARGET_IMAGE
                + " may run");
  }

  private static ServerGate gate(UpgradeProgress progress) {
    return ServerGate.desired(progress, "to-1-10").orElseThrow();
  }

  private static Optional<String> image(String which) {
    return switch (which) {
      case "previous" -> Optional.of(CURRENT_IMAGE);
      case "target" -> Optional.of(TARGET_IMAGE);
      default -> Optional.empty();
    };
  }
}
