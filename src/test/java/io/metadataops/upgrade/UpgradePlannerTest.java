package io.metadataops.upgrade;

import static io.metadataops.upgrade.PlannerFixture.BACKUP;
import static io.metadataops.upgrade.PlannerFixture.CURRENT_IMAGE;
import static io.metadataops.upgrade.PlannerFixture.CURRENT_INGESTION;
import static io.metadataops.upgrade.PlannerFixture.TARGET_IMAGE;
import static io.metadataops.upgrade.PlannerFixture.TARGET_INGESTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.metadataops.upgrade.ServerDeployment.RolloutState;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("unit")
class UpgradePlannerTest {

  /** What a table row expects of the action; null fields are not checked. */
  record Expect(
      Class<? extends UpgradeAction> type,
      UpgradePhase phase,
      RollbackStep step,
      FailureReason reason,
      WaitReason waitReason,
      ServerImageJob serverImageJob,
      Simple simple) {

    static Expect action(Class<? extends UpgradeAction> type) {
      return new Expect(type, null, null, null, null, null, null);
    }

    static Expect is(Simple action) {
      return new Expect(Simple.class, null, null, null, null, null, action);
    }

    static Expect serverImageJob(ServerImageJob job) {
      return new Expect(CreateServerImageJob.class, null, null, null, null, job, null);
    }

    static Expect waits(WaitReason reason) {
      return new Expect(Wait.class, null, null, null, reason, null, null);
    }

    static Expect enters(UpgradePhase phase) {
      return new Expect(Transition.class, phase, null, null, null, null, null);
    }

    static Expect fails(UpgradePhase phase, FailureReason reason) {
      return new Expect(Transition.class, phase, null, reason, null, null, null);
    }

    static Expect rollsBack(RollbackStep step, FailureReason reason) {
      return new Expect(
          Transition.class, UpgradePhase.ROLLING_BACK, step, reason, null, null, null);
    }

    void check(UpgradeAction action) {
      assertThat(action).isInstanceOf(type);
      if (action instanceof Wait wait && waitReason != null) {
        assertThat(wait.reason()).isEqualTo(waitReason);
      }
      if (simple != null) {
        assertThat(action).isEqualTo(simple);
      }
      if (action instanceof CreateServerImageJob job && serverImageJob != null) {
        assertThat(job.job()).isEqualTo(serverImageJob);
      }
      if (action instanceof Transition transition) {
        UpgradeProgress next = transition.progress();
        if (phase != null) {
          assertThat(next.phase()).isEqualTo(phase);
        }
        if (step != null) {
          assertThat(next.rollbackStep()).contains(step);
        }
        if (reason != null) {
          assertThat(next.rollbackFailure().or(next::failure))
              .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(reason));
        }
        assertThat(next.stepStartedAt()).isPresent();
        assertThat(next.message()).isNotBlank();
      }
    }
  }

  private static Arguments row(String name, Consumer<PlannerFixture> given, Expect expect) {
    return arguments(name, given, expect);
  }

  static Stream<Arguments> everyPhase() {
    Duration longAgo = Duration.ofHours(3);
    return Stream.of(
        // Pending
        row("pending starts validating", f -> {}, Expect.enters(UpgradePhase.VALIDATING)),

        // Validating: checks that need no database first, then the inspection, then the path.
        row(
            "backup disabled without acknowledgement stalls",
            f -> {
              f.progress = UpgradeProgress.newAttempt(1, PlannerFixture.STARTED, "");
              f.backupEnabled = false;
            },
            Expect.fails(
                UpgradePhase.STALLED, FailureReason.BACKUP_DISABLED_WITHOUT_ACKNOWLEDGEMENT)),
        row(
            "missing server Deployment stalls",
            f -> {
              validating(f);
              f.server = Optional.empty();
            },
            Expect.fails(UpgradePhase.STALLED, FailureReason.SERVER_DEPLOYMENT_NOT_FOUND)),
        row(
            "another upgrade of the same server stalls",
            f -> {
              validating(f);
              f.conflictingUpgrade = Optional.of("other");
            },
            Expect.fails(UpgradePhase.STALLED, FailureReason.CONFLICTING_UPGRADE)),
        row(
            "server scaled to zero stalls",
            f -> validating(f).server(CURRENT_IMAGE, 0, 0, RolloutState.COMPLETE),
            Expect.fails(UpgradePhase.STALLED, FailureReason.SERVER_SCALED_TO_ZERO)),
        row(
            "unparseable server image stalls",
            f -> validating(f).server("Bad Image", 1, 1, RolloutState.COMPLETE),
            Expect.fails(UpgradePhase.STALLED, FailureReason.INVALID_IMAGE)),
        row(
            "unparseable target image stalls",
            f -> validating(f).targetImage = Optional.of("bad image"),
            Expect.fails(UpgradePhase.STALLED, FailureReason.INVALID_IMAGE)),
        row(
            "missing ingestion Deployment stalls",
            f -> validating(f).alignIngestion = true,
            Expect.fails(UpgradePhase.STALLED, FailureReason.INGESTION_DEPLOYMENT_NOT_FOUND)),
        row(
            "no inspection yet creates it",
            f -> validating(f).inspection = ChildStatus.ABSENT,
            Expect.is(Simple.CREATE_INSPECTION)),
        row(
            "running inspection is waited on, not created again",
            f -> validating(f).inspection = ChildStatus.running("upgrade-inspect-1"),
            Expect.waits(WaitReason.INSPECTING_DATABASE)),
        row(
            "failed inspection stalls",
            f -> validating(f).inspection = ChildStatus.failed("upgrade-inspect-1", "refused"),
            Expect.fails(UpgradePhase.STALLED, FailureReason.DATABASE_INSPECTION_FAILED)),
        row(
            "downgrade stalls",
            f -> validating(f).targetVersion = "1.9.0",
            Expect.fails(UpgradePhase.STALLED, FailureReason.DOWNGRADE)),
        row(
            "database migrated ahead makes an older target a downgrade",
            f -> {
              validating(f).targetVersion = "1.9.4";
              f.databaseSchemaVersion = Optional.of("1.10.0");
            },
            Expect.fails(UpgradePhase.STALLED, FailureReason.DOWNGRADE)),
        row(
            "past 2.0 from below 2.0 stalls",
            f -> validating(f).targetVersion = "2.1.0",
            Expect.fails(UpgradePhase.STALLED, FailureReason.INTERMEDIATE_VERSION_REQUIRED)),
        row(
            "unparseable target stalls",
            f -> validating(f).targetVersion = "latest",
            Expect.fails(UpgradePhase.STALLED, FailureReason.UNPARSEABLE_VERSION)),
        row(
            "already at the target succeeds without touching anything",
            f -> validating(f).targetVersion = "1.9.3",
            Expect.enters(UpgradePhase.SUCCEEDED)),
        row(
            "pending approvals come first",
            f -> validating(f).approvedChanges = Set.of(),
            Expect.enters(UpgradePhase.AWAITING_APPROVAL)),
        row(
            "everything approved runs the pre-flight first, while the server serves",
            PlannerFixture::validated,
            Expect.enters(UpgradePhase.PRE_FLIGHT)),
        row(
            "acknowledged no-pre-flight goes straight to stopping the server",
            f -> {
              validating(f).preFlightEnabled = false;
              f.preFlightDisabledAcknowledged = true;
            },
            Expect.enters(UpgradePhase.SCALING_DOWN)),
        row(
            "a pre-flight disabled without the acknowledgement stalls",
            f -> validating(f).preFlightEnabled = false,
            Expect.fails(
                UpgradePhase.STALLED, FailureReason.PRE_FLIGHT_DISABLED_WITHOUT_ACKNOWLEDGEMENT)),
        row(
            "acknowledged no-backup (hence no pre-flight) goes straight to scaling down",
            f -> {
              validating(f).backupEnabled = false;
              f.backupDisabledAcknowledged = true;
            },
            Expect.enters(UpgradePhase.SCALING_DOWN)),
        row(
            "dry run stops at the plan",
            f -> validating(f).dryRun = true,
            Expect.enters(UpgradePhase.PLANNED)),

        // AwaitingApproval: approvals are read from the live spec.
        row(
            "unapproved change waits",
            f -> {
              f.approvedChanges = Set.of();
              f.in(UpgradePhase.AWAITING_APPROVAL);
            },
            Expect.waits(WaitReason.AWAITING_APPROVAL)),
        row(
            "approval given later moves on to the pre-flight",
            f -> {
              f.approvedChanges = Set.of();
              f.in(UpgradePhase.AWAITING_APPROVAL);
              f.approvedChanges = Set.of("1.10/entity-status");
            },
            Expect.enters(UpgradePhase.PRE_FLIGHT)),

        // PreFlight: no downtime yet, a failure changes nothing.
        row(
            "no pre-flight backup yet creates it",
            f -> f.in(UpgradePhase.PRE_FLIGHT),
            Expect.is(Simple.CREATE_PRE_FLIGHT_BACKUP)),
        row(
            "a running pre-flight is waited on",
            f -> f.in(UpgradePhase.PRE_FLIGHT).preFlight = ChildStatus.running("p"),
            Expect.waits(WaitReason.PRE_FLIGHT_RUNNING)),
        row(
            "a failed pre-flight fails with the server untouched",
            f -> f.in(UpgradePhase.PRE_FLIGHT).preFlight = ChildStatus.failed("p", "MISMATCH"),
            Expect.fails(UpgradePhase.FAILED, FailureReason.PRE_FLIGHT_FAILED)),
        row(
            "a passed pre-flight moves on to stopping the server",
            f -> f.in(UpgradePhase.PRE_FLIGHT).preFlight = ChildStatus.succeeded("p"),
            Expect.enters(UpgradePhase.SCALING_DOWN)),

        // Rehearsing (opt-in): still no downtime; the scratch is dropped whatever the outcome.
        row(
            "a rehearsal without the pre-flight stalls",
            f -> {
              validating(f).rehearsalEnabled = true;
              f.preFlightEnabled = false;
              f.preFlightDisabledAcknowledged = true;
            },
            Expect.fails(UpgradePhase.STALLED, FailureReason.REHEARSAL_WITHOUT_PRE_FLIGHT)),
        row(
            "a passed pre-flight moves on to the rehearsal when the spec asks for one",
            f -> {
              f.rehearsalEnabled = true;
              f.in(UpgradePhase.PRE_FLIGHT).preFlight = ChildStatus.succeeded("p");
            },
            Expect.enters(UpgradePhase.REHEARSING)),
        row(
            "no rehearsal restore yet creates it",
            UpgradePlannerTest::rehearsing,
            Expect.is(Simple.CREATE_REHEARSAL_RESTORE)),
        row(
            "a running rehearsal restore is waited on",
            f -> rehearsing(f).rehearsal = rehearsal(ChildStatus.running("r"), ChildStatus.ABSENT),
            Expect.waits(WaitReason.REHEARSAL_RUNNING)),
        row(
            "a failed rehearsal restore fails with the server untouched",
            f ->
                rehearsing(f).rehearsal =
                    rehearsal(ChildStatus.failed("r", "ALREADY_EXISTS"), ChildStatus.ABSENT),
            Expect.fails(UpgradePhase.FAILED, FailureReason.REHEARSAL_FAILED)),
        row(
            "a restored scratch is migrated next",
            f ->
                rehearsing(f).rehearsal = rehearsal(ChildStatus.succeeded("r"), ChildStatus.ABSENT),
            Expect.serverImageJob(ServerImageJob.REHEARSAL)),
        row(
            "a running rehearsal migration is waited on",
            f ->
                rehearsing(f).rehearsal =
                    rehearsal(ChildStatus.succeeded("r"), ChildStatus.running("m")),
            Expect.waits(WaitReason.REHEARSAL_RUNNING)),
        row(
            "a restore Job gone (its TTL) once the migration runs is not created again",
            f -> rehearsing(f).rehearsal = rehearsal(ChildStatus.ABSENT, ChildStatus.running("m")),
            Expect.waits(WaitReason.REHEARSAL_RUNNING)),
        row(
            "a failed rehearsal migration is recorded before the scratch is dropped",
            f ->
                rehearsing(f).rehearsal =
                    rehearsal(ChildStatus.succeeded("r"), ChildStatus.failed("m", "exit 1")),
            Expect.enters(UpgradePhase.REHEARSING)),
        row(
            "a recorded outcome drops the scratch",
            f -> rehearsed(f, true),
            Expect.is(Simple.DROP_REHEARSAL_SCRATCH)),
        row(
            "a running drop is waited on",
            f -> rehearsed(f, true).rehearsal = dropped(ChildStatus.running("d")),
            Expect.waits(WaitReason.REHEARSAL_RUNNING)),
        row(
            "a passed rehearsal, scratch dropped, moves on to stopping the server",
            f -> rehearsed(f, true).rehearsal = dropped(ChildStatus.succeeded("d")),
            Expect.enters(UpgradePhase.SCALING_DOWN)),
        row(
            "a failed rehearsal, scratch dropped, fails with the server untouched",
            f -> rehearsed(f, false).rehearsal = dropped(ChildStatus.succeeded("d")),
            Expect.fails(UpgradePhase.FAILED, FailureReason.REHEARSAL_FAILED)),
        row(
            "a scratch that cannot be dropped fails even after a passed rehearsal",
            f -> rehearsed(f, true).rehearsal = dropped(ChildStatus.failed("d", "PRIVILEGE")),
            Expect.fails(UpgradePhase.FAILED, FailureReason.REHEARSAL_FAILED)),

        // BackingUp
        row(
            "no backup yet creates it",
            f -> f.in(UpgradePhase.BACKING_UP),
            Expect.is(Simple.CREATE_BACKUP)),
        row(
            "running backup after a restart is waited on, not created again",
            f -> f.in(UpgradePhase.BACKING_UP).backup = ChildStatus.running(BACKUP),
            Expect.waits(WaitReason.BACKUP_RUNNING)),
        row(
            "failed final backup gives the stopped server back (the database was not changed)",
            f -> f.in(UpgradePhase.BACKING_UP).backup = ChildStatus.failed(BACKUP, "disk full"),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.BACKUP_FAILED)),
        row(
            "finished backup moves on to migrating",
            f -> f.in(UpgradePhase.BACKING_UP).backup = ChildStatus.succeeded(BACKUP),
            Expect.enters(UpgradePhase.MIGRATING)),

        // ScalingDown
        row(
            "running server is scaled down",
            f -> f.in(UpgradePhase.SCALING_DOWN),
            Expect.is(Simple.SCALE_DOWN)),
        row(
            "terminating pods are waited for",
            f -> f.in(UpgradePhase.SCALING_DOWN).server(CURRENT_IMAGE, 0, 1, RolloutState.COMPLETE),
            Expect.waits(WaitReason.SERVER_PODS_TERMINATING)),
        row(
            "quiet server moves on to the final backup, taken with no writer left",
            f -> f.in(UpgradePhase.SCALING_DOWN).server(CURRENT_IMAGE, 0, 0, RolloutState.COMPLETE),
            Expect.enters(UpgradePhase.BACKING_UP)),
        row(
            "quiet server without a backup (acknowledged) moves on to migrating",
            f -> {
              f.backupEnabled = false;
              f.backupDisabledAcknowledged = true;
              f.in(UpgradePhase.SCALING_DOWN).server(CURRENT_IMAGE, 0, 0, RolloutState.COMPLETE);
            },
            Expect.enters(UpgradePhase.MIGRATING)),
        row(
            "deleted Deployment rolls back",
            f -> f.in(UpgradePhase.SCALING_DOWN).server = Optional.empty(),
            Expect.rollsBack(
                RollbackStep.STOPPING_WRITERS, FailureReason.SERVER_DEPLOYMENT_NOT_FOUND)),

        // Migrating
        row(
            "no migration Job yet creates it",
            f -> stopped(f.in(UpgradePhase.MIGRATING)),
            Expect.serverImageJob(ServerImageJob.MIGRATION)),
        row(
            "running migration after a restart is waited on, not created again",
            f -> stopped(f.in(UpgradePhase.MIGRATING)).migration = ChildStatus.running("m"),
            Expect.waits(WaitReason.MIGRATION_RUNNING)),
        row(
            "migration past its timeout rolls back",
            f ->
                stopped(f.in(UpgradePhase.MIGRATING)).after(longAgo).migration =
                    ChildStatus.running("m"),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.MIGRATION_TIMEOUT)),
        row(
            "failed migration rolls back",
            f ->
                stopped(f.in(UpgradePhase.MIGRATING)).migration = ChildStatus.failed("m", "exit 1"),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.MIGRATION_FAILED)),
        row(
            "failed migration with rollback disabled fails",
            f -> {
              f.rollbackEnabled = false;
              stopped(f.in(UpgradePhase.MIGRATING)).migration = ChildStatus.failed("m", "exit 1");
            },
            Expect.fails(UpgradePhase.FAILED, FailureReason.MIGRATION_FAILED)),
        row(
            "failed migration without a backup fails",
            f -> {
              f.backupEnabled = false;
              f.backupDisabledAcknowledged = true;
              stopped(f.in(UpgradePhase.MIGRATING)).migration = ChildStatus.failed("m", "exit 1");
            },
            Expect.fails(UpgradePhase.FAILED, FailureReason.MIGRATION_FAILED)),
        row(
            "finished migration is checked by an inspection of the change log",
            f -> stopped(f.in(UpgradePhase.MIGRATING)).migration = ChildStatus.succeeded("m"),
            Expect.is(Simple.CREATE_MIGRATION_CHECK)),
        row(
            "running migration check is waited on, not created again",
            f ->
                migrated(
                    f, new MigrationCheck(ChildStatus.running("c"), Optional.empty(), List.of())),
            Expect.waits(WaitReason.MIGRATION_CHECK_RUNNING)),
        row(
            "change log at the target, every row complete (seen after a restart): the rollout",
            f -> migrated(f, checked("1.10.1")),
            Expect.enters(UpgradePhase.ROLLING_OUT)),
        row(
            "a 2.x row left STARTED by a migration that exited 0 rolls back",
            f -> migrated(f, checked("1.10.1", "1.10.1 STARTED")),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.MIGRATION_INCOMPLETE)),
        row(
            "a 2.x row left FAILED by a migration that exited 0 rolls back",
            f -> migrated(f, checked("1.10.1", "1.10.0 FAILED")),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.MIGRATION_INCOMPLETE)),
        row(
            "a 1.x change log without the target (migrations skipped) rolls back",
            f -> migrated(f, checked("1.10.0")),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.MIGRATION_INCOMPLETE)),
        row(
            "an empty change log after the migration rolls back",
            f ->
                migrated(
                    f, new MigrationCheck(ChildStatus.succeeded("c"), Optional.empty(), List.of())),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.MIGRATION_INCOMPLETE)),
        row(
            "a change log that cannot be read rolls back",
            f ->
                migrated(
                    f,
                    new MigrationCheck(
                        ChildStatus.failed("c", "UNREACHABLE: timeout"),
                        Optional.empty(),
                        List.of())),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.MIGRATION_CHECK_FAILED)),
        row(
            "an unfinished change log with rollback disabled fails",
            f -> {
              f.rollbackEnabled = false;
              migrated(f, checked("1.10.1", "1.10.1 STARTED"));
            },
            Expect.fails(UpgradePhase.FAILED, FailureReason.MIGRATION_INCOMPLETE)),

        // RollingOut
        row(
            "old image is replaced",
            f -> stopped(f.in(UpgradePhase.ROLLING_OUT)),
            Expect.action(SetImages.class)),
        row(
            "applied images are waited on",
            f ->
                f.in(UpgradePhase.ROLLING_OUT).server(TARGET_IMAGE, 2, 1, RolloutState.PROGRESSING),
            Expect.waits(WaitReason.ROLLOUT_PROGRESSING)),
        row(
            "rollout past its timeout rolls back",
            f ->
                f.in(UpgradePhase.ROLLING_OUT)
                    .after(longAgo)
                    .server(TARGET_IMAGE, 2, 1, RolloutState.PROGRESSING),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.ROLLOUT_TIMEOUT)),
        row(
            "failed rollout rolls back",
            f -> f.in(UpgradePhase.ROLLING_OUT).server(TARGET_IMAGE, 2, 2, RolloutState.FAILED),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.ROLLOUT_FAILED)),
        row(
            "complete rollout moves on to verifying",
            f -> f.in(UpgradePhase.ROLLING_OUT).server(TARGET_IMAGE, 2, 2, RolloutState.COMPLETE),
            Expect.enters(UpgradePhase.VERIFYING)),
        row(
            "ingestion image not yet aligned is set",
            f -> {
              alignedIngestion(f)
                  .in(UpgradePhase.ROLLING_OUT)
                  .server(TARGET_IMAGE, 2, 2, RolloutState.COMPLETE);
            },
            Expect.action(SetImages.class)),

        // Verifying
        row(
            "target version reported succeeds",
            f -> verifying(f).versionProbe = new VersionProbe.Reported("1.10.1"),
            Expect.enters(UpgradePhase.SUCCEEDED)),
        row(
            "no answer yet waits",
            f -> verifying(f).versionProbe = new VersionProbe.Unreachable("connection refused"),
            Expect.waits(WaitReason.VERSION_NOT_YET_REPORTED)),
        row(
            "wrong version past the timeout rolls back",
            f -> verifying(f).after(longAgo).versionProbe = new VersionProbe.Reported("1.9.3"),
            Expect.rollsBack(RollbackStep.STOPPING_WRITERS, FailureReason.VERIFICATION_FAILED)),

        // RollingBack: stop writers
        row(
            "running migration Job is stopped first",
            f ->
                f.rollingBack(RollbackStep.STOPPING_WRITERS, UpgradePhase.MIGRATING).migration =
                    ChildStatus.running("m"),
            Expect.is(Simple.DELETE_MIGRATION_JOB)),
        row(
            "running server is scaled down",
            f ->
                f.rollingBack(RollbackStep.STOPPING_WRITERS, UpgradePhase.VERIFYING)
                    .server(TARGET_IMAGE, 2, 2, RolloutState.COMPLETE),
            Expect.is(Simple.SCALE_DOWN)),
        row(
            "terminating pods are waited for before the restore",
            f ->
                f.rollingBack(RollbackStep.STOPPING_WRITERS, UpgradePhase.VERIFYING)
                    .server(TARGET_IMAGE, 0, 1, RolloutState.COMPLETE),
            Expect.waits(WaitReason.SERVER_PODS_TERMINATING)),
        row(
            "quiet database is restored",
            f ->
                stopped(f.rollingBack(RollbackStep.STOPPING_WRITERS, UpgradePhase.MIGRATING))
                        .migration =
                    ChildStatus.failed("m", "x"),
            Expect.rollsBack(RollbackStep.RESTORING, null)),
        row(
            "no restore when the failure came before the migration",
            f ->
                f.rollingBack(RollbackStep.STOPPING_WRITERS, UpgradePhase.SCALING_DOWN).server =
                    Optional.empty(),
            Expect.rollsBack(RollbackStep.REDEPLOYING, null)),
        // RollingBack: restore
        row(
            "no restore yet creates it",
            f -> stopped(f.rollingBack(RollbackStep.RESTORING, UpgradePhase.MIGRATING)),
            Expect.action(CreateRestore.class)),
        row(
            "running restore after a restart is waited on",
            f ->
                stopped(f.rollingBack(RollbackStep.RESTORING, UpgradePhase.MIGRATING)).restore =
                    ChildStatus.running("r"),
            Expect.waits(WaitReason.RESTORE_RUNNING)),
        row(
            "failed restore fails the rollback",
            f ->
                stopped(f.rollingBack(RollbackStep.RESTORING, UpgradePhase.MIGRATING)).restore =
                    ChildStatus.failed("r", "x"),
            Expect.fails(UpgradePhase.FAILED, FailureReason.ROLLBACK_FAILED)),
        row(
            "finished restore redeploys",
            f ->
                stopped(f.rollingBack(RollbackStep.RESTORING, UpgradePhase.MIGRATING)).restore =
                    ChildStatus.succeeded("r"),
            Expect.rollsBack(RollbackStep.REDEPLOYING, null)),
        // RollingBack: redeploy
        row(
            "previous image is put back",
            f ->
                f.rollingBack(RollbackStep.REDEPLOYING, UpgradePhase.VERIFYING)
                    .server(TARGET_IMAGE, 0, 0, RolloutState.COMPLETE),
            Expect.action(SetImages.class)),
        row(
            "previous image rolling out is waited on",
            f ->
                f.rollingBack(RollbackStep.REDEPLOYING, UpgradePhase.VERIFYING)
                    .server(CURRENT_IMAGE, 2, 1, RolloutState.PROGRESSING),
            Expect.waits(WaitReason.ROLLOUT_PROGRESSING)),
        row(
            "failed redeploy fails the rollback",
            f ->
                f.rollingBack(RollbackStep.REDEPLOYING, UpgradePhase.VERIFYING)
                    .server(CURRENT_IMAGE, 2, 0, RolloutState.FAILED),
            Expect.fails(UpgradePhase.FAILED, FailureReason.ROLLBACK_FAILED)),
        row(
            "redeploy past the rollout timeout fails the rollback",
            f ->
                f.rollingBack(RollbackStep.REDEPLOYING, UpgradePhase.VERIFYING)
                    .after(longAgo)
                    .server(CURRENT_IMAGE, 2, 0, RolloutState.PROGRESSING),
            Expect.fails(UpgradePhase.FAILED, FailureReason.ROLLBACK_FAILED)),
        row(
            "previous image rolled out is verified next",
            f -> f.rollingBack(RollbackStep.REDEPLOYING, UpgradePhase.VERIFYING),
            Expect.rollsBack(RollbackStep.VERIFYING, null)),
        // RollingBack: verify
        row(
            "previous version reported ends rolled back",
            f ->
                f.rollingBack(RollbackStep.VERIFYING, UpgradePhase.VERIFYING).versionProbe =
                    new VersionProbe.Reported("1.9.3"),
            Expect.enters(UpgradePhase.ROLLED_BACK)),
        row(
            "previous version not yet reported waits",
            f -> f.rollingBack(RollbackStep.VERIFYING, UpgradePhase.VERIFYING),
            Expect.waits(WaitReason.VERSION_NOT_YET_REPORTED)),
        row(
            "previous version never reported fails the rollback",
            f ->
                f.rollingBack(RollbackStep.VERIFYING, UpgradePhase.VERIFYING)
                        .after(longAgo)
                        .versionProbe =
                    new VersionProbe.Unreachable("503"),
            Expect.fails(UpgradePhase.FAILED, FailureReason.ROLLBACK_FAILED)),

        // Pause: nothing new starts; waiting goes on.
        row(
            "paused before creating the migration Job",
            f -> {
              stopped(f.in(UpgradePhase.MIGRATING)).paused = true;
            },
            Expect.waits(WaitReason.PAUSED)),
        row(
            "paused while the migration Job runs",
            f -> {
              stopped(f.in(UpgradePhase.MIGRATING)).paused = true;
              f.migration = ChildStatus.running("m");
            },
            Expect.waits(WaitReason.PAUSED)),
        row(
            "paused before validation starts",
            f -> f.paused = true,
            Expect.waits(WaitReason.PAUSED)),
        row(
            "paused after success stays idle",
            f -> f.in(UpgradePhase.SUCCEEDED).paused = true,
            Expect.action(Idle.class)),
        row(
            "paused after a dry run holds the real attempt back",
            f -> {
              f.in(UpgradePhase.PLANNED).paused = true;
              f.generation = 2;
            },
            Expect.waits(WaitReason.PAUSED)));
  }

  private static PlannerFixture rehearsing(PlannerFixture f) {
    f.rehearsalEnabled = true;
    return f.in(UpgradePhase.REHEARSING);
  }

  private static RehearsalObservations rehearsal(ChildStatus restore, ChildStatus migration) {
    return new RehearsalObservations(restore, migration, Optional.empty(), ChildStatus.ABSENT);
  }

  private static RehearsalObservations dropped(ChildStatus drop) {
    return new RehearsalObservations(
        ChildStatus.succeeded("r"), ChildStatus.succeeded("m"), Optional.empty(), drop);
  }

  /** Rehearsing, the migration's outcome recorded. */
  private static PlannerFixture rehearsed(PlannerFixture f, boolean passed) {
    rehearsing(f).rehearsal = dropped(ChildStatus.ABSENT);
    f.progress =
        f.progress.withRehearsal(
            new RehearsalOutcome(passed, passed ? "Migrated." : "Failed.", Optional.empty()), "");
    return f;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyPhase")
  void decidesTheNextAction(String name, Consumer<PlannerFixture> given, Expect expect) {
    PlannerFixture fixture = new PlannerFixture();
    given.accept(fixture);

    UpgradeAction action = fixture.next();

    expect.check(action);
    assertThat(fixture.next()).as("a pure function").isEqualTo(action);
  }

  static Stream<Arguments> terminalPhases() {
    Failure backupFailed =
        new Failure(
            FailureReason.BACKUP_FAILED, "x", UpgradePhase.BACKING_UP, PlannerFixture.STARTED);
    Failure migrationFailed =
        new Failure(
            FailureReason.MIGRATION_FAILED, "x", UpgradePhase.MIGRATING, PlannerFixture.STARTED);
    Failure rollbackFailed =
        new Failure(
            FailureReason.ROLLBACK_FAILED, "x", UpgradePhase.ROLLING_BACK, PlannerFixture.STARTED);
    return Stream.of(
        arguments(UpgradePhase.SUCCEEDED, null, null, false),
        arguments(UpgradePhase.PLANNED, null, null, true),
        arguments(UpgradePhase.STALLED, null, null, true),
        arguments(UpgradePhase.ROLLED_BACK, migrationFailed, null, false),
        arguments(UpgradePhase.FAILED, backupFailed, null, false),
        arguments(UpgradePhase.FAILED, migrationFailed, null, false),
        arguments(UpgradePhase.FAILED, migrationFailed, rollbackFailed, false));
  }

  @ParameterizedTest(name = "{0} after {1}: restarts on a new generation = {3}")
  @MethodSource("terminalPhases")
  void onlyAttemptsThatChangedNothingRestartOnANewGeneration(
      UpgradePhase phase, Failure failure, Failure rollbackFailure, boolean restarts) {
    PlannerFixture fixture = new PlannerFixture().in(phase);
    if (failure != null) {
      fixture.progress = fixture.progress.withFailure(failure);
    }
    if (rollbackFailure != null) {
      fixture.progress = fixture.progress.withRollbackFailure(rollbackFailure);
    }

    assertThat(fixture.next()).isInstanceOf(Idle.class);

    fixture.generation = 2;
    UpgradeAction action = fixture.next();
    if (restarts) {
      Expect.enters(UpgradePhase.VALIDATING).check(action);
      UpgradeProgress fresh = ((Transition) action).progress();
      assertThat(fresh.attempt()).isEqualTo(2);
      assertThat(fresh.plan()).isEmpty();
      assertThat(fresh.failure()).isEmpty();
    } else {
      assertThat(action).isInstanceOf(Idle.class);
    }
  }

  @Test
  void theRehearsalMigratesWithTheTargetAndRecordsHowLongItTook() {
    PlannerFixture fixture = new PlannerFixture();
    rehearsing(fixture).rehearsal = rehearsal(ChildStatus.succeeded("r"), ChildStatus.ABSENT);
    assertThat(fixture.validated().progress.plan().orElseThrow().steps())
        .containsSubsequence(
            UpgradePhase.PRE_FLIGHT, UpgradePhase.REHEARSING, UpgradePhase.SCALING_DOWN);
    fixture.in(UpgradePhase.REHEARSING);
    assertThat(fixture.next())
        .isEqualTo(
            new CreateServerImageJob(
                ServerImageJob.REHEARSAL,
                TARGET_IMAGE,
                MigrationCommand.resolve(Version.parse("1.10.1"), Optional.empty())));

    fixture.rehearsal =
        new RehearsalObservations(
            ChildStatus.succeeded("r"),
            ChildStatus.succeeded("upgrade-rehearse-migrate-1"),
            Optional.of(Duration.ofSeconds(754)),
            ChildStatus.ABSENT);
    UpgradeProgress recorded = ((Transition) fixture.next()).progress();

    assertThat(recorded.phase()).isEqualTo(UpgradePhase.REHEARSING);
    assertThat(recorded.stepStartedAt()).isEqualTo(fixture.progress.stepStartedAt());
    RehearsalOutcome outcome = recorded.rehearsal().orElseThrow();
    assertThat(outcome.passed()).isTrue();
    assertThat(outcome.migrationTime()).contains(Duration.ofSeconds(754));
    assertThat(outcome.message()).contains("1.10.1 in 754 s", "upgrade-rehearse-migrate-1");
    assertThat(recorded.message()).endsWith("Dropping the scratch database.");
    assertThat(recorded.failure()).isEmpty();
  }

  @Test
  void aFailedRehearsalSaysTheServerWasNeverStopped() {
    PlannerFixture fixture = new PlannerFixture();
    rehearsing(fixture).rehearsal =
        rehearsal(ChildStatus.succeeded("r"), ChildStatus.failed("m", "exit 1"));
    fixture.progress = ((Transition) fixture.next()).progress();
    fixture.rehearsal = dropped(ChildStatus.succeeded("d"));

    Failure failure = ((Transition) fixture.next()).progress().failure().orElseThrow();

    assertThat(failure.phase()).isEqualTo(UpgradePhase.REHEARSING);
    assertThat(failure.beforeMigration()).isTrue();
    assertThat(failure.message())
        .contains(
            "The rehearsal migration m failed on a copy of the database: exit 1.",
            "The scratch database is dropped.",
            "never stopped",
            CURRENT_IMAGE);
  }

  @Test
  void planRecordsImagesCommandBreakingChangesAndWhatToRestore() {
    PlannerFixture fixture = alignedIngestion(new PlannerFixture());
    fixture.databaseSchemaVersion = Optional.of("1.9.1");
    fixture.progress = UpgradeProgress.newAttempt(1, PlannerFixture.STARTED, "");

    UpgradePlan plan = ((Transition) fixture.next()).progress().plan().orElseThrow();

    assertThat(plan.from()).hasToString("1.9.1");
    assertThat(plan.to()).hasToString("1.10.1");
    assertThat(plan.previousServerVersion()).hasToString("1.9.3");
    assertThat(plan.previousImage()).isEqualTo(CURRENT_IMAGE);
    assertThat(plan.previousIngestionImage()).contains(CURRENT_INGESTION);
    assertThat(plan.previousReplicas()).isEqualTo(2);
    assertThat(plan.targetImage()).isEqualTo(TARGET_IMAGE);
    assertThat(plan.targetIngestionImage()).contains(TARGET_INGESTION);
    assertThat(plan.migration().command())
        .containsExactly("./bootstrap/openmetadata-ops.sh", "migrate");
    assertThat(plan.crossed()).extracting(e -> e.minor().toString()).containsExactly("1.10");
    assertThat(plan.warnings())
        .extracting(PathWarning::code)
        .containsExactly(PathWarning.Code.VERSION_DISAGREEMENT);
    assertThat(plan.steps())
        .containsExactly(
            UpgradePhase.VALIDATING,
            UpgradePhase.PRE_FLIGHT,
            UpgradePhase.SCALING_DOWN,
            UpgradePhase.BACKING_UP,
            UpgradePhase.MIGRATING,
            UpgradePhase.ROLLING_OUT,
            UpgradePhase.VERIFYING);
  }

  @Test
  void explicitTargetImageAndMigrationOverrideWin() {
    PlannerFixture fixture = new PlannerFixture();
    fixture.targetImage = Optional.of("mirror.local:5000/om/server:1.10.1-patched");
    fixture.migrationCommand =
        Optional.of(List.of("./bootstrap/openmetadata-ops.sh", "migrate", "--debug"));
    stopped(fixture.in(UpgradePhase.MIGRATING));

    assertThat(fixture.next())
        .isEqualTo(
            new CreateServerImageJob(
                ServerImageJob.MIGRATION,
                "mirror.local:5000/om/server:1.10.1-patched",
                new MigrationCommand(
                    List.of("./bootstrap/openmetadata-ops.sh", "migrate", "--debug"),
                    MigrationCommand.SERVER_HOME)));
  }

  @Test
  void migrationJobRunsTheTargetImageWithTheCommandOfTheTarget() {
    PlannerFixture fixture = stopped(new PlannerFixture().in(UpgradePhase.MIGRATING));

    assertThat(fixture.next())
        .isEqualTo(
            new CreateServerImageJob(
                ServerImageJob.MIGRATION,
                TARGET_IMAGE,
                MigrationCommand.forTarget(Version.of(1, 10, 1))));
  }

  @Test
  void rolloutRestoresThePreviousReplicaCountAndAlignsIngestion() {
    PlannerFixture fixture =
        stopped(alignedIngestion(new PlannerFixture()).in(UpgradePhase.ROLLING_OUT));

    assertThat(fixture.next())
        .isEqualTo(new SetImages(TARGET_IMAGE, Optional.of(TARGET_INGESTION), 2));
  }

  @Test
  void rollbackPutsThePreviousImagesAndReplicasBack() {
    PlannerFixture fixture = alignedIngestion(new PlannerFixture());
    fixture.rollingBack(RollbackStep.REDEPLOYING, UpgradePhase.VERIFYING);
    fixture.server(TARGET_IMAGE, 0, 0, RolloutState.COMPLETE).ingestionImage =
        Optional.of(TARGET_INGESTION);

    assertThat(fixture.next())
        .isEqualTo(new SetImages(CURRENT_IMAGE, Optional.of(CURRENT_INGESTION), 2));
  }

  @Test
  void restoreUsesTheBackupOfThisAttempt() {
    PlannerFixture fixture =
        stopped(new PlannerFixture().rollingBack(RollbackStep.RESTORING, UpgradePhase.MIGRATING));

    assertThat(fixture.next()).isEqualTo(new CreateRestore(BACKUP));
  }

  @Test
  void timedWaitsAskToBeCheckedWhenTheTimeoutFallsDue() {
    PlannerFixture fixture =
        stopped(new PlannerFixture().in(UpgradePhase.MIGRATING)).after(Duration.ofMinutes(45));
    fixture.migration = ChildStatus.running("m");

    assertThat(((Wait) fixture.next()).recheckAfter()).contains(Duration.ofMinutes(15));
  }

  @Test
  void versionProbesRepeatUntilTheTimeout() {
    PlannerFixture fixture = verifying(new PlannerFixture());

    assertThat(((Wait) fixture.next()).recheckAfter()).contains(UpgradePlanner.POLL_INTERVAL);
    assertThat(UpgradePlanner.expectedVersion(fixture.progress)).contains(Version.of(1, 10, 1));
  }

  @Test
  void expectedVersionTellsTheControllerWhenToProbe() {
    PlannerFixture fixture = new PlannerFixture();

    assertThat(UpgradePlanner.expectedVersion(fixture.in(UpgradePhase.MIGRATING).progress))
        .isEmpty();
    assertThat(
            UpgradePlanner.expectedVersion(
                fixture.rollingBack(RollbackStep.VERIFYING, UpgradePhase.VERIFYING).progress))
        .contains(Version.of(1, 9, 3));
    assertThat(
            UpgradePlanner.expectedVersion(
                fixture.rollingBack(RollbackStep.REDEPLOYING, UpgradePhase.VERIFYING).progress))
        .isEmpty();
  }

  @Test
  void aSnapshotSuffixStillVerifies() {
    PlannerFixture fixture = verifying(new PlannerFixture());
    fixture.versionProbe = new VersionProbe.Reported("1.10.1-SNAPSHOT");

    Expect.enters(UpgradePhase.SUCCEEDED).check(fixture.next());
  }

  @Test
  void approvalWaitNamesTheActionsAndTypos() {
    PlannerFixture fixture = new PlannerFixture();
    fixture.approvedChanges = Set.of("1.10/entity-statu");
    fixture.in(UpgradePhase.AWAITING_APPROVAL);

    Wait wait = (Wait) fixture.next();

    assertThat(wait.message())
        .contains("1.10/entity-status")
        .contains("entityStatus")
        .contains("(a typo?): 1.10/entity-statu.");
  }

  @Test
  void dryRunDescribesThePlanAndChangesNothing() {
    PlannerFixture fixture = new PlannerFixture();
    fixture.dryRun = true;
    fixture.approvedChanges = Set.of();
    fixture.progress = UpgradeProgress.newAttempt(1, PlannerFixture.STARTED, "");

    UpgradeProgress planned = ((Transition) fixture.next()).progress();

    assertThat(planned.phase()).isEqualTo(UpgradePhase.PLANNED);
    assertThat(planned.message())
        .contains("Validating -> AwaitingApproval -> PreFlight -> ScalingDown -> BackingUp")
        .contains(TARGET_IMAGE)
        .contains("./bootstrap/openmetadata-ops.sh migrate")
        .contains("1.10/entity-status");
    fixture.progress = planned;
    assertThat(fixture.next()).isInstanceOf(Idle.class);
  }

  @Test
  void intermediateVersionIsNamedWhenStalling() {
    PlannerFixture fixture = validating(new PlannerFixture());
    fixture.targetVersion = "2.1.0";

    UpgradeProgress stalled = ((Transition) fixture.next()).progress();

    assertThat(stalled.message()).contains("Upgrade to 2.0.8 first");
  }

  @Test
  void aDryRunFrom19xTo210IsRefusedNaming208() {
    PlannerFixture fixture = validating(new PlannerFixture());
    fixture.dryRun = true;
    fixture.targetVersion = "2.1.0";

    UpgradeProgress stalled = ((Transition) fixture.next()).progress();

    assertThat(stalled.phase()).isEqualTo(UpgradePhase.STALLED);
    assertThat(stalled.plan()).isEmpty();
    assertThat(stalled.message()).contains("1.9.3").contains("Upgrade to 2.0.8 first");
  }

  @Test
  void aDryRunFrom112To208ListsThe113And20Changes() {
    PlannerFixture fixture = validating(new PlannerFixture());
    fixture.dryRun = true;
    fixture.approvedChanges = Set.of();
    fixture.server(PlannerFixture.REGISTRY + "server:1.12.14", 2, 2, RolloutState.COMPLETE);
    fixture.databaseSchemaVersion = Optional.of("1.12.14");
    fixture.targetVersion = "2.0.8";

    UpgradeProgress planned = ((Transition) fixture.next()).progress();

    assertThat(planned.phase()).isEqualTo(UpgradePhase.PLANNED);
    UpgradePlan plan = planned.plan().orElseThrow();
    assertThat(plan.crossed()).extracting(e -> e.minor().toString()).containsExactly("1.13", "2.0");
    assertThat(plan.warnings()).isEmpty();
    assertThat(planned.message())
        .contains("from 1.12.14 to 2.0.8")
        .contains(
            "1.13/stop-all-servers-quartz",
            "1.13/postgres-fqnhash-index-rebuild",
            "1.13/webhook-auth-type",
            "2.0/migration-baseline",
            "2.0/ingestion-python-3-12",
            "2.0/llm-configuration")
        .contains("awaiting approval: 1.13/stop-all-servers-quartz");
  }

  @Test
  void failureWithoutRollbackTellsTheStateAndTheWayBack() {
    PlannerFixture fixture = new PlannerFixture();
    fixture.rollbackEnabled = false;
    stopped(fixture.in(UpgradePhase.MIGRATING)).migration = ChildStatus.failed("m", "exit 1");

    String message = ((Transition) fixture.next()).progress().message();

    assertThat(message)
        .contains("exit 1")
        .contains("rollback is disabled")
        .contains("half-migrated towards 1.10.1")
        .contains("scaled down to 0 replicas")
        .contains("restore backup " + BACKUP)
        .contains(CURRENT_IMAGE + " with 2 replica(s)");
  }

  @Test
  void rollbackFailureTellsAPersonTheStateAndWhatToDo() {
    PlannerFixture fixture =
        stopped(new PlannerFixture().rollingBack(RollbackStep.RESTORING, UpgradePhase.MIGRATING));
    fixture.restore = ChildStatus.failed("upgrade-restore-1", "table lock timeout");

    UpgradeProgress failed = ((Transition) fixture.next()).progress();

    assertThat(failed.phase()).isEqualTo(UpgradePhase.FAILED);
    assertThat(failed.failure())
        .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(FailureReason.MIGRATION_FAILED));
    assertThat(failed.message())
        .contains("The migration failed.")
        .contains("table lock timeout")
        .contains("database is in an unknown state")
        .contains("scaled down to 0 replicas")
        .contains("restore backup " + BACKUP + " into a clean database")
        .contains(CURRENT_IMAGE + " with 2 replica(s)")
        .contains("reports 1.9.3");
  }

  @Test
  void rolledBackMessageSaysWhatFailedAndWhatRuns() {
    PlannerFixture fixture =
        new PlannerFixture().rollingBack(RollbackStep.VERIFYING, UpgradePhase.MIGRATING);
    fixture.versionProbe = new VersionProbe.Reported("1.9.3");

    String message = ((Transition) fixture.next()).progress().message();

    assertThat(message).contains("The migration failed.").contains(CURRENT_IMAGE).contains(BACKUP);
  }

  // ---- Fixture shortcuts

  @Test
  void aChartThatMigratesWithForceOnEveryStartNeedsAnApprovalWithTheValueToChange() {
    PlannerFixture f = new PlannerFixture();
    f.server =
        Optional.of(
            new ServerDeployment(
                CURRENT_IMAGE, 2, 2, RolloutState.COMPLETE, true, new Manager.None(), false));
    validating(f);

    UpgradeProgress planned = ((Transition) f.next()).progress();
    assertThat(planned.phase()).isEqualTo(UpgradePhase.AWAITING_APPROVAL);
    UpgradePlan plan = planned.plan().orElseThrow();
    assertThat(plan.approvals().pending()).containsExactly("1.10/chart-migrate-force");
    BreakingChange force =
        plan.crossed().stream()
            .flatMap(entry -> entry.changes().stream())
            .filter(change -> change.id().equals("1.10/chart-migrate-force"))
            .findFirst()
            .orElseThrow();
    assertThat(force.requiresApproval()).isTrue();
    assertThat(force.action())
        .contains("openmetadata.config.upgradeMigrationConfigs.additionalArgs");
    assertThat(plan.crossed()).extracting(e -> e.minor().toString()).doesNotHaveDuplicates();

    List<CatalogueEntry> patchOnly =
        UpgradePlanner.withInstallationItems(
            List.of(),
            Version.parse("1.10.3"),
            UpgradePlanner.installationItems(f.server.orElseThrow(), Version.parse("1.10.3")));
    assertThat(patchOnly)
        .singleElement()
        .satisfies(entry -> assertThat(entry.minor().toString()).isEqualTo("1.10"));
  }

  private static PlannerFixture validating(PlannerFixture f) {
    f.progress = UpgradeProgress.newAttempt(1, PlannerFixture.STARTED, "");
    return f;
  }

  /** Migrating, the migration Job exited 0, the change-log inspection as given. */
  private static void migrated(PlannerFixture f, MigrationCheck check) {
    stopped(f.in(UpgradePhase.MIGRATING)).migration = ChildStatus.succeeded("m");
    f.migrationCheck = check;
  }

  private static MigrationCheck checked(String schemaVersion, String... unfinished) {
    return new MigrationCheck(
        ChildStatus.succeeded("c"), Optional.of(schemaVersion), List.of(unfinished));
  }

  @Test
  void aMigrationThatExited0IsJudgedByItsChangeLogAndTheFailureSaysWhy() {
    PlannerFixture f = new PlannerFixture();
    migrated(f, checked("1.10.0", "1.10.1 STARTED"));

    Transition rollback = (Transition) f.next();

    Failure failure = rollback.progress().failure().orElseThrow();
    assertThat(failure.phase()).isEqualTo(UpgradePhase.MIGRATING);
    assertThat(failure.beforeMigration()).as("the backup must be restored").isFalse();
    assertThat(failure.message())
        .contains("The migration Job m exited 0 but")
        .contains("did not complete: 1.10.1 STARTED");

    migrated(f, checked("1.10.0"));
    assertThat(((Transition) f.next()).progress().failure().orElseThrow().message())
        .contains("records 1.10.0 as the latest migration, not the target 1.10.1");
  }

  private static PlannerFixture stopped(PlannerFixture f) {
    return f.server(CURRENT_IMAGE, 0, 0, RolloutState.COMPLETE);
  }

  private static PlannerFixture verifying(PlannerFixture f) {
    return f.in(UpgradePhase.VERIFYING).server(TARGET_IMAGE, 2, 2, RolloutState.COMPLETE);
  }

  private static PlannerFixture alignedIngestion(PlannerFixture f) {
    f.alignIngestion = true;
    f.ingestionImage = Optional.of(CURRENT_INGESTION);
    return f;
  }
}
