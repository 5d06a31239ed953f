package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.upgrade.ChildStatus.ChildState;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import io.metadataops.upgrade.UpgradeAction.CreateBackup;
import io.metadataops.upgrade.UpgradeAction.CreateInspection;
import io.metadataops.upgrade.UpgradeAction.CreateMigrationCheck;
import io.metadataops.upgrade.UpgradeAction.CreateMigrationJob;
import io.metadataops.upgrade.UpgradeAction.CreatePreFlightBackup;
import io.metadataops.upgrade.UpgradeAction.CreateRehearsalMigrationJob;
import io.metadataops.upgrade.UpgradeAction.CreateRehearsalRestore;
import io.metadataops.upgrade.UpgradeAction.CreateRestore;
import io.metadataops.upgrade.UpgradeAction.DeleteMigrationJob;
import io.metadataops.upgrade.UpgradeAction.DropRehearsalScratch;
import io.metadataops.upgrade.UpgradeAction.Idle;
import io.metadataops.upgrade.UpgradeAction.ScaleDown;
import io.metadataops.upgrade.UpgradeAction.SetImages;
import io.metadataops.upgrade.UpgradeAction.Transition;
import io.metadataops.upgrade.UpgradeAction.Wait;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the planner against a simulated cluster from Pending to the end, the way the controller
 * will: observe, decide, apply. After every cluster action the planner is asked again before the
 * cluster moves on, as after an operator restart that lost nothing but memory: it must never ask
 * for the same child twice.
 */
@Tag("unit")
class UpgradeWalkTest {

  /** The phases of an upgrade whose migration failed: its backup restored, the old image back. */
  private static final List<UpgradePhase> ROLLED_BACK_AFTER_MIGRATING =
      List.of(
          UpgradePhase.VALIDATING,
          UpgradePhase.PRE_FLIGHT,
          UpgradePhase.SCALING_DOWN,
          UpgradePhase.BACKING_UP,
          UpgradePhase.MIGRATING,
          UpgradePhase.ROLLING_BACK,
          UpgradePhase.ROLLING_BACK,
          UpgradePhase.ROLLING_BACK,
          UpgradePhase.ROLLING_BACK,
          UpgradePhase.ROLLED_BACK);

  private final PlannerFixture cluster = new PlannerFixture();
  private final List<UpgradePhase> phases = new ArrayList<>();
  private final Map<Class<?>, Integer> actions = new HashMap<>();
  private boolean migrationFails;
  private List<String> leftUnfinished = List.of();
  private boolean preFlightFails;
  private boolean rehearsalFails;

  @Test
  void happyPathRunsEveryStepOnceAndSucceeds() {
    walk();

    assertThat(phases)
        .containsExactly(
            UpgradePhase.VALIDATING,
            UpgradePhase.PRE_FLIGHT,
            UpgradePhase.SCALING_DOWN,
            UpgradePhase.BACKING_UP,
            UpgradePhase.MIGRATING,
            UpgradePhase.ROLLING_OUT,
            UpgradePhase.VERIFYING,
            UpgradePhase.SUCCEEDED);
    assertThat(actions)
        .containsEntry(CreateInspection.class, 1)
        .containsEntry(CreatePreFlightBackup.class, 1)
        .containsEntry(CreateBackup.class, 1)
        .containsEntry(ScaleDown.class, 1)
        .containsEntry(CreateMigrationJob.class, 1)
        .containsEntry(CreateMigrationCheck.class, 1)
        .containsEntry(SetImages.class, 1)
        .doesNotContainKey(CreateRestore.class);
    assertThat(cluster.server.orElseThrow().image()).isEqualTo(PlannerFixture.TARGET_IMAGE);
    assertThat(cluster.server.orElseThrow().replicas()).isEqualTo(2);
  }

  @Test
  void failedMigrationRestoresTheBackupAndRunsThePreviousVersionAgain() {
    migrationFails = true;

    walk();

    assertThat(phases).containsExactlyElementsOf(ROLLED_BACK_AFTER_MIGRATING);
    assertThat(actions)
        .containsEntry(CreateRestore.class, 1)
        .containsEntry(CreateMigrationJob.class, 1);
    assertThat(cluster.server.orElseThrow().image()).isEqualTo(PlannerFixture.CURRENT_IMAGE);
    assertThat(cluster.server.orElseThrow().replicas()).isEqualTo(2);
  }

  @Test
  void aMigrationThatExits0ButLeavesAStartedRowIsRolledBack() {
    leftUnfinished = List.of("1.10.1 STARTED");

    walk();

    assertThat(phases).containsExactlyElementsOf(ROLLED_BACK_AFTER_MIGRATING);
    assertThat(cluster.progress.failure().orElseThrow().reason())
        .isEqualTo(FailureReason.MIGRATION_INCOMPLETE);
    assertThat(cluster.progress.failure().orElseThrow().message()).contains("1.10.1 STARTED");
    assertThat(actions)
        .containsEntry(CreateMigrationJob.class, 1)
        .containsEntry(CreateMigrationCheck.class, 1)
        .containsEntry(CreateRestore.class, 1);
    assertThat(cluster.server.orElseThrow().image()).isEqualTo(PlannerFixture.CURRENT_IMAGE);
  }

  @Test
  void aFailedPreFlightEndsTheUpgradeBeforeAnyDowntime() {
    preFlightFails = true;

    walk();

    assertThat(phases)
        .containsExactly(UpgradePhase.VALIDATING, UpgradePhase.PRE_FLIGHT, UpgradePhase.FAILED);
    assertThat(cluster.progress.failure().orElseThrow().reason())
        .isEqualTo(FailureReason.PRE_FLIGHT_FAILED);
    assertThat(actions)
        .containsEntry(CreatePreFlightBackup.class, 1)
        .doesNotContainKeys(ScaleDown.class, CreateBackup.class, CreateMigrationJob.class);
    assertThat(cluster.server.orElseThrow().replicas()).isEqualTo(2);
    assertThat(cluster.server.orElseThrow().image()).isEqualTo(PlannerFixture.CURRENT_IMAGE);
  }

  @Test
  void aPassedRehearsalRunsBeforeTheServerStopsAndDropsItsScratch() {
    cluster.rehearsalEnabled = true;

    walk();

    assertThat(phases)
        .containsExactly(
            UpgradePhase.VALIDATING,
            UpgradePhase.PRE_FLIGHT,
            UpgradePhase.REHEARSING,
            UpgradePhase.REHEARSING,
            UpgradePhase.SCALING_DOWN,
            UpgradePhase.BACKING_UP,
            UpgradePhase.MIGRATING,
            UpgradePhase.ROLLING_OUT,
            UpgradePhase.VERIFYING,
            UpgradePhase.SUCCEEDED);
    assertThat(actions)
        .containsEntry(CreateRehearsalRestore.class, 1)
        .containsEntry(CreateRehearsalMigrationJob.class, 1)
        .containsEntry(DropRehearsalScratch.class, 1)
        .containsEntry(CreateMigrationJob.class, 1);
    assertThat(cluster.progress.rehearsal().orElseThrow().passed()).isTrue();
  }

  @Test
  void aFailedRehearsalDropsItsScratchAndEndsBeforeAnyDowntime() {
    cluster.rehearsalEnabled = true;
    rehearsalFails = true;

    walk();

    assertThat(phases)
        .containsExactly(
            UpgradePhase.VALIDATING,
            UpgradePhase.PRE_FLIGHT,
            UpgradePhase.REHEARSING,
            UpgradePhase.REHEARSING,
            UpgradePhase.FAILED);
    assertThat(cluster.progress.failure().orElseThrow().reason())
        .isEqualTo(FailureReason.REHEARSAL_FAILED);
    assertThat(actions)
        .containsEntry(CreateRehearsalMigrationJob.class, 1)
        .containsEntry(DropRehearsalScratch.class, 1)
        .doesNotContainKeys(
            ScaleDown.class,
            CreateBackup.class,
            CreateMigrationJob.class,
            CreateRestore.class,
            SetImages.class);
    assertThat(cluster.server.orElseThrow().replicas()).isEqualTo(2);
    assertThat(cluster.server.orElseThrow().image()).isEqualTo(PlannerFixture.CURRENT_IMAGE);
  }

  private void walk() {
    cluster.inspection = ChildStatus.ABSENT;
    for (int reconciliation = 0; reconciliation < 100; reconciliation++) {
      probeWhenAsked();
      UpgradeAction action = cluster.next();
      if (action instanceof Idle) {
        return;
      }
      actions.merge(action.getClass(), 1, Integer::sum);
      apply(action);
      if (!(action instanceof Transition || action instanceof Wait)) {
        probeWhenAsked();
        assertThat(cluster.next()).as("asked again right after %s", action).isNotEqualTo(action);
      }
      if (action instanceof Wait) {
        finishRunningWork();
      }
    }
    throw new AssertionError("no end after 100 reconciliations; phases: " + phases);
  }

  private void apply(UpgradeAction action) {
    ServerDeployment server = cluster.server.orElseThrow();
    if (action instanceof Transition transition) {
      cluster.progress = transition.progress();
      phases.add(transition.progress().phase());
    } else if (action instanceof CreateInspection) {
      cluster.inspection = ChildStatus.running("inspect");
    } else if (action instanceof CreatePreFlightBackup) {
      cluster.preFlight = ChildStatus.running("upgrade-preflight-1");
    } else if (action instanceof CreateRehearsalRestore) {
      cluster.rehearsal =
          rehearsal(ChildStatus.running("restore"), ChildStatus.ABSENT, ChildStatus.ABSENT);
    } else if (action instanceof CreateRehearsalMigrationJob) {
      cluster.rehearsal =
          rehearsal(
              cluster.rehearsal.restore(), ChildStatus.running("rehearse"), ChildStatus.ABSENT);
    } else if (action instanceof DropRehearsalScratch) {
      cluster.rehearsal =
          rehearsal(
              cluster.rehearsal.restore(),
              cluster.rehearsal.migration(),
              ChildStatus.running("drop"));
    } else if (action instanceof CreateBackup) {
      cluster.backup = ChildStatus.running(PlannerFixture.BACKUP);
    } else if (action instanceof ScaleDown) {
      cluster.server(server.image(), 0, server.pods(), server.rollout());
    } else if (action instanceof CreateMigrationJob) {
      cluster.migration = ChildStatus.running("migrate");
    } else if (action instanceof CreateMigrationCheck) {
      cluster.migrationCheck =
          new MigrationCheck(ChildStatus.running("check"), Optional.empty(), List.of());
    } else if (action instanceof DeleteMigrationJob) {
      cluster.migration = ChildStatus.ABSENT;
    } else if (action instanceof CreateRestore) {
      cluster.restore = ChildStatus.running("restore");
    } else if (action instanceof SetImages images) {
      cluster.server(
          images.serverImage(), images.replicas(), server.pods(), RolloutState.PROGRESSING);
    } else if (!(action instanceof Wait)) {
      throw new AssertionError("unexpected action " + action);
    }
  }

  /** What time and Kubernetes do while the operator waits. */
  private void finishRunningWork() {
    cluster.inspection = finished(cluster.inspection, false);
    cluster.preFlight = finished(cluster.preFlight, preFlightFails);
    cluster.rehearsal =
        rehearsal(
            finished(cluster.rehearsal.restore(), false),
            finished(cluster.rehearsal.migration(), rehearsalFails),
            finished(cluster.rehearsal.drop(), false));
    cluster.backup = finished(cluster.backup, false);
    cluster.migration = finished(cluster.migration, migrationFails);
    if (cluster.migrationCheck.job().state() == ChildState.RUNNING) {
      cluster.migrationCheck =
          new MigrationCheck(
              finished(cluster.migrationCheck.job(), false),
              Optional.of(cluster.targetVersion),
              leftUnfinished);
    }
    cluster.restore = finished(cluster.restore, false);
    ServerDeployment server = cluster.server.orElseThrow();
    cluster.server(server.image(), server.replicas(), server.replicas(), RolloutState.COMPLETE);
  }

  private static RehearsalObservations rehearsal(
      ChildStatus restore, ChildStatus migration, ChildStatus drop) {
    return new RehearsalObservations(restore, migration, Optional.empty(), drop);
  }

  private static ChildStatus finished(ChildStatus child, boolean fails) {
    if (child.state() != ChildState.RUNNING) {
      return child;
    }
    String name = child.name().orElseThrow();
    return fails ? ChildStatus.failed(name, "exit code 1") : ChildStatus.succeeded(name);
  }

  /** The server reports the version of its image's tag once it runs. */
  private void probeWhenAsked() {
    ServerDeployment server = cluster.server.orElseThrow();
    boolean serving = server.pods() > 0 && server.rollout() == RolloutState.COMPLETE;
    cluster.versionProbe =
        UpgradePlanner.expectedVersion(cluster.progress).isPresent() && serving
            ? new VersionProbe.Reported(ImageReference.parse(server.image()).tag().orElseThrow())
            : VersionProbe.NOT_PROBED;
  }
}
