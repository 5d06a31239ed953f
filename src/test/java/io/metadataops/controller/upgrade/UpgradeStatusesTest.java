package io.metadataops.controller.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.metadataops.api.MetadataUpgradePhase;
import io.metadataops.api.MetadataUpgradeStatus;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("unit")
class UpgradeStatusesTest {

  private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00.123456789Z");

  private static final UpgradePlan PLAN =
      new UpgradePlan(
          Version.parse("1.5.2"),
          Version.parse("1.6.3"),
          Version.parse("1.5.2"),
          "docker.getcollate.io/openmetadata/server:1.5.2",
          Optional.of("docker.getcollate.io/openmetadata/ingestion:1.5.2.0"),
          3,
          "docker.getcollate.io/openmetadata/server:1.6.3",
          Optional.of("docker.getcollate.io/openmetadata/ingestion:1.6.3.0"),
          new MigrationCommand(List.of("./bootstrap/openmetadata-ops.sh", "migrate"), "/opt/om"),
          List.of(
              new CatalogueEntry(
                  new MinorVersion(1, 6),
                  false,
                  List.of(
                      new BreakingChange("1.6/auto-classification", "Profiler.", "Review.", true),
                      new BreakingChange("1.6/lineage", "Lineage moved.", "Nothing.", false))),
              new CatalogueEntry(new MinorVersion(2, 0), true, List.of())),
          new ApprovalReview(List.of("1.6/auto-classification"), List.of("1.6/typo")),
          List.of(
              new PathWarning(PathWarning.Code.VERSION_DISAGREEMENT, "tag and database differ")),
          List.of(
              UpgradePhase.VALIDATING,
              UpgradePhase.AWAITING_APPROVAL,
              UpgradePhase.BACKING_UP,
              UpgradePhase.SCALING_DOWN,
              UpgradePhase.MIGRATING,
              UpgradePhase.ROLLING_OUT,
              UpgradePhase.VERIFYING,
              UpgradePhase.REINDEXING),
          Optional.of("Argo CD application openmetadata"),
          List.of("Set K8S_INGESTION_IMAGE in Secret om-pipeline-secret to ingestion:1.6.3."));

  static Stream<UpgradeProgress> everyPhase() {
    List<UpgradeProgress> all = new ArrayList<>();
    all.add(UpgradeProgress.pending());
    Failure failure =
        new Failure(FailureReason.MIGRATION_FAILED, "exit 3", UpgradePhase.MIGRATING, STARTED);
    Failure rollbackFailure =
        new Failure(
            FailureReason.ROLLBACK_FAILED, "restore failed", UpgradePhase.ROLLING_BACK, STARTED);
    for (UpgradePhase phase : UpgradePhase.values()) {
      boolean planned = phase.ordinal() > UpgradePhase.VALIDATING.ordinal();
      boolean failed = phase == UpgradePhase.FAILED || phase == UpgradePhase.ROLLED_BACK;
      all.add(
          new UpgradeProgress(
              phase,
              7,
              Optional.empty(),
              Optional.of(STARTED),
              planned ? Optional.of(PLAN) : Optional.empty(),
              planned ? Optional.of("upgrade-backup-7") : Optional.empty(),
              failed ? Optional.of(failure) : Optional.empty(),
              phase == UpgradePhase.FAILED ? Optional.of(rollbackFailure) : Optional.empty(),
              phase == UpgradePhase.REHEARSING
                  ? Optional.of(
                      new RehearsalOutcome(
                          true, "migrated a copy in 12 s", Optional.of(Duration.ofSeconds(12))))
                  : Optional.empty(),
              "in " + phase.value()));
    }
    all.add(
        new UpgradeProgress(
            UpgradePhase.REHEARSING,
            3,
            Optional.empty(),
            Optional.of(STARTED),
            Optional.of(PLAN),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(new RehearsalOutcome(false, "the migration failed", Optional.empty())),
            "rehearsal failed; dropping the scratch"));
    for (RollbackStep step : RollbackStep.values()) {
      all.add(
          new UpgradeProgress(
              UpgradePhase.ROLLING_BACK,
              2,
              Optional.of(step),
              Optional.of(STARTED.plusSeconds(5)),
              Optional.of(PLAN),
              Optional.of("upgrade-backup-2"),
              Optional.of(failure),
              Optional.empty(),
              Optional.empty(),
              "rolling back"));
    }
    all.add(
        new UpgradeProgress(
            UpgradePhase.STALLED,
            1,
            Optional.empty(),
            Optional.of(STARTED),
            Optional.empty(),
            Optional.empty(),
            Optional.of(
                new Failure(FailureReason.DOWNGRADE, "no", UpgradePhase.VALIDATING, STARTED)),
            Optional.empty(),
            Optional.empty(),
            "no"));
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("everyPhase")
  void progressRoundTripsThroughTheStatusAndItsJson(UpgradeProgress progress) {
    MetadataUpgradeStatus status = new MetadataUpgradeStatus();
    UpgradeStatuses.write(progress, status);
    assertThat(UpgradeStatuses.read(status)).isEqualTo(progress);

    MetadataUpgradeStatus stored =
        Serialization.unmarshal(Serialization.asJson(status), MetadataUpgradeStatus.class);
    assertThat(UpgradeStatuses.read(stored)).isEqualTo(progress);
  }

  @Test
  void writingAProgressWithoutPlanClearsTheOldPlan() {
    MetadataUpgradeStatus status = new MetadataUpgradeStatus();
    UpgradeStatuses.write(everyPhase().filter(p -> p.plan().isPresent()).findFirst().get(), status);
    UpgradeStatuses.write(UpgradeProgress.pending(), status);
    assertThat(status.targetImage).isNull();
    assertThat(status.breakingChanges).isEmpty();
    assertThat(status.plan).isEmpty();
  }

  @Test
  void statusShowsThePlanForPeople() {
    MetadataUpgradeStatus status = new MetadataUpgradeStatus();
    UpgradeStatuses.write(progress(UpgradePhase.AWAITING_APPROVAL, 1), status);
    assertThat(status.fromVersion).isEqualTo("1.5.2");
    assertThat(status.toVersion).isEqualTo("1.6.3");
    assertThat(status.pendingApprovals).containsExactly("1.6/auto-classification");
    assertThat(status.plan)
        .hasSize(9)
        .anySatisfy(line -> assertThat(line).startsWith("Migrating: run ./bootstrap"))
        .anySatisfy(line -> assertThat(line).startsWith("Reindexing: rebuild the search indexes"))
        .last()
        .asString()
        .startsWith("By hand: Set K8S_INGESTION_IMAGE in Secret om-pipeline-secret");
    assertThat(status.requiredActions).containsExactlyElementsOf(PLAN.manualActions());
  }

  @Test
  void refreshedApprovalsFollowTheSpec() {
    MetadataUpgradeStatus status = new MetadataUpgradeStatus();
    UpgradeStatuses.write(progress(UpgradePhase.AWAITING_APPROVAL, 1), status);
    UpgradeStatuses.refreshApprovals(status, Set.of("1.6/auto-classification"));
    assertThat(status.pendingApprovals).isEmpty();
    assertThat(status.unmatchedApprovals).isEmpty();
    assertThat(status.breakingChanges)
        .filteredOn(c -> c.id.equals("1.6/auto-classification"))
        .singleElement()
        .satisfies(c -> assertThat(c.approved).isTrue());
  }

  @Test
  void stepsRecordStartsCompletionsAndFailures() {
    MetadataUpgradeStatus status = new MetadataUpgradeStatus();
    UpgradeProgress validating = progress(UpgradePhase.VALIDATING, 1);
    UpgradeProgress migrating = progress(UpgradePhase.MIGRATING, 1);
    UpgradeProgress rollingBack =
        new UpgradeProgress(
            UpgradePhase.ROLLING_BACK,
            1,
            Optional.of(RollbackStep.STOPPING_WRITERS),
            Optional.of(STARTED.plusSeconds(9)),
            Optional.of(PLAN),
            Optional.empty(),
            Optional.of(
                new Failure(
                    FailureReason.MIGRATION_FAILED, "boom", UpgradePhase.MIGRATING, STARTED)),
            Optional.empty(),
            Optional.empty(),
            "boom");
    UpgradeStatuses.recordStep(status, UpgradeProgress.pending(), validating, STARTED);
    UpgradeStatuses.recordStep(status, validating, migrating, STARTED.plusSeconds(1));
    UpgradeStatuses.recordStep(status, migrating, migrating, STARTED.plusSeconds(2));
    UpgradeStatuses.recordStep(status, migrating, rollingBack, STARTED.plusSeconds(9));

    assertThat(status.steps)
        .extracting(s -> s.name + ":" + s.outcome)
        .containsExactly(
            "Validating:Succeeded", "Migrating:Failed", "RollingBack/StoppingWriters:null");
    assertThat(status.steps.get(1).completedAt).isEqualTo(STARTED.plusSeconds(9).toString());

    UpgradeStatuses.recordStep(status, rollingBack, progress(UpgradePhase.VALIDATING, 2), STARTED);
    assertThat(status.steps).extracting(s -> s.name).containsExactly("Validating");
  }

  @Test
  void downtimeRunsFromTheScaleDownUntilAVerifiedVersionServesAndEachStepHasItsDuration() {
    MetadataUpgradeStatus status = new MetadataUpgradeStatus();
    UpgradeProgress validating = entered(UpgradePhase.VALIDATING, STARTED);
    UpgradeProgress scalingDown = entered(UpgradePhase.SCALING_DOWN, STARTED.plusSeconds(60));
    UpgradeProgress backingUp = entered(UpgradePhase.BACKING_UP, STARTED.plusSeconds(65));
    UpgradeProgress migrating = entered(UpgradePhase.MIGRATING, STARTED.plusSeconds(95));
    UpgradeProgress verifying = entered(UpgradePhase.VERIFYING, STARTED.plusSeconds(155));
    UpgradeProgress succeeded = entered(UpgradePhase.SUCCEEDED, STARTED.plusSeconds(160));

    UpgradeStatuses.recordStep(status, UpgradeProgress.pending(), validating, STARTED);
    UpgradeStatuses.recordStep(status, validating, scalingDown, STARTED.plusSeconds(60));
    assertThat(status.downtime.startedAt).isEqualTo(STARTED.plusSeconds(60).toString());
    assertThat(status.downtime.endedAt).isNull();
    UpgradeStatuses.recordStep(status, scalingDown, backingUp, STARTED.plusSeconds(65));
    UpgradeStatuses.recordStep(status, backingUp, migrating, STARTED.plusSeconds(95));
    UpgradeStatuses.recordStep(status, migrating, verifying, STARTED.plusSeconds(155));
    assertThat(status.downtime.seconds).isNull();
    UpgradeStatuses.recordStep(status, verifying, succeeded, STARTED.plusSeconds(160));

    assertThat(status.downtime.seconds).isEqualTo(100);
    assertThat(status.downtime.endedAt).isEqualTo(STARTED.plusSeconds(160).toString());
    assertThat(status.steps)
        .extracting(s -> s.name + ":" + s.durationSeconds)
        .containsExactly(
            "Validating:60", "ScalingDown:5", "BackingUp:30", "Migrating:60", "Verifying:5");

    UpgradeStatuses.recordStep(status, succeeded, progress(UpgradePhase.VALIDATING, 2), STARTED);
    assertThat(status.downtime).as("a new attempt starts a new window").isNull();
  }

  @Test
  void aFailedUpgradeLeavesTheDowntimeWindowOpen() {
    MetadataUpgradeStatus status = new MetadataUpgradeStatus();
    UpgradeProgress scalingDown = progress(UpgradePhase.SCALING_DOWN, 1);
    UpgradeStatuses.recordStep(status, progress(UpgradePhase.VALIDATING, 1), scalingDown, STARTED);
    UpgradeStatuses.recordStep(
        status, scalingDown, progress(UpgradePhase.FAILED, 1), STARTED.plusSeconds(9));
    assertThat(status.downtime.startedAt).isEqualTo(STARTED.toString());
    assertThat(status.downtime.endedAt).isNull();
    assertThat(status.downtime.seconds).isNull();
  }

  /** Progress of attempt 1 that entered {@code phase} at {@code at}, as the planner writes it. */
  private static UpgradeProgress entered(UpgradePhase phase, Instant at) {
    UpgradeProgress progress = progress(phase, 1);
    return new UpgradeProgress(
        phase,
        1,
        Optional.empty(),
        Optional.of(at),
        progress.plan(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        phase.value());
  }

  private static UpgradeProgress progress(UpgradePhase phase, long attempt) {
    return new UpgradeProgress(
        phase,
        attempt,
        Optional.empty(),
        Optional.of(STARTED),
        phase == UpgradePhase.VALIDATING ? Optional.empty() : Optional.of(PLAN),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        phase.value());
  }

  @Test
  void everyPlannerPhaseIsAnApiPhaseAndBack() {
    assertThat(Stream.of(UpgradePhase.values()).map(UpgradePhase::value))
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(MetadataUpgradePhase.values()).map(Enum::name).toList());
    for (MetadataUpgradePhase written : MetadataUpgradePhase.values()) {
      assertThat(UpgradeStatuses.phase(written).value()).isEqualTo(written.name());
    }
    assertThat(UpgradeStatuses.phase(null)).isEqualTo(UpgradePhase.PENDING);
  }

  @Test
  void anUnknownPhaseFailsLoudlyInsteadOfRestartingTheUpgrade() {
    assertThatThrownBy(() -> UpgradePhase.fromValue("Exploding"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown upgrade phase 'Exploding'");
  }
}
