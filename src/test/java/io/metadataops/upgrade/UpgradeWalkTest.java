package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.upgrade.ChildStatus.ChildState;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import io.metadataops.upgrade.UpgradeAction.CreateRestore;
import io.metadataops.upgrade.UpgradeAction.CreateServerImageJob;
import io.metadataops.upgrade.UpgradeAction.Idle;
import io.metadataops.upgrade.UpgradeAction.ServerImageJob;
import io.metadataops.upgrade.UpgradeAction.SetImages;
import io.metadataops.upgrade.UpgradeAction.Simple;
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

  /**
   * How often each action ran: simple ones by value, server-image Jobs by what they are for, others
   * by class.
   */
  private final Map<Object, Integer> actions = new HashMap<>();

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
        .containsEntry(Simple.CREATE_INSPECTION, 1)
        .containsEntry(Simple.CREATE_PRE_FLIGHT_BACKUP, 1)
        .containsEntry(Simple.CREATE_BACKUP, 1)
        .containsEntry(Simple.SCALE_DOWN, 1)
        .containsEntry(ServerImageJob.MIGRATION, 1)
        .containsEntry(Simple.CREATE_MIGRATION_CHECK, 1)
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
        .containsEntry(ServerImageJob.MIGRATION, 1);
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
        .containsEntry(ServerImageJob.MIGRATION, 1)
        .containsEntry(Simple.CREATE_MIGRATION_CHECK, 1)
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
        .containsEntry(Simple.CREATE_PRE_FLIGHT_BACKUP, 1)
        .doesNotContainKeys(Simple.SCALE_DOWN, Simple.CREATE_BACKUP, ServerImageJob.MIGRATION);
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
        .containsEntry(Simple.CREATE_REHEARSAL_RESTORE, 1)
        .containsEntry(ServerImageJob.REHEARSAL, 1)
        .containsEntry(Simple.DROP_REHEARSAL_SCRATCH, 1)
        .containsEntry(ServerImageJob.MIGRATION, 1);
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
        .containsEntry(ServerImageJob.REHEARSAL, 1)
        .containsEntry(Simple.DROP_REHEARSAL_SCRATCH, 1)
        .doesNotContainKeys(
            Simple.SCALE_DOWN,
            Simple.CREATE_BACKUP,
            ServerImageJob.MIGRATION,
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
      actions.merge(
          action instanceof Simple
              ? action
              : action instanceof CreateServerImageJob job ? job.job() : action.getClass(),
          1,
          Integer::sum);
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
    } else if (action == Simple.CREATE_INSPECTION) {
      cluster.inspection = ChildStatus.running("inspect");
    } else if (action == Simple.CREATE_PRE_FLIGHT_BACKUP) {
      cluster.preFlight = ChildStatus.running("upgrade-preflight-1");
    } else if (action == Simple.CREATE_REHEARSAL_RESTORE) {
      cluster.rehearsal =
          rehearsal(ChildStatus.running("restore"), ChildStatus.ABSENT, ChildStatus.ABSENT);
    } else if (action instanceof CreateServerImageJob job
        && job.job() == ServerImageJob.REHEARSAL) {
      cluster.rehearsal =
          rehearsal(
              cluster.rehearsal.restore(), ChildStatus.running("rehearse"), ChildStatus.ABSENT);
    } else if (action == Simple.DROP_REHEARSAL_SCRATCH) {
      cluster.rehearsal =
          rehearsal(
              cluster.rehearsal.restore(),
              cluster.rehearsal.migration(),
              ChildStatus.running("drop"));
    } else if (action == Simple.CREATE_BACKUP) {
      cluster.backup = ChildStatus.running(PlannerFixture.BACKUP);
    } else if (action == Simple.SCALE_DOWN) {
      cluster.server(server.image(), 0, server.pods(), server.rollout());
    } else if (action instanceof CreateServerImageJob job
        && job.job() == ServerImageJob.MIGRATION) {
      cluster.migration = ChildStatus.running("migrate");
    } else if (action == Simple.CREATE_MIGRATION_CHECK) {
      cluster.migrationCheck =
          new MigrationCheck(ChildStatus.running("check"), Optional.empty(), List.of());
    } else if (action == Simple.DELETE_MIGRATION_JOB) {
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
