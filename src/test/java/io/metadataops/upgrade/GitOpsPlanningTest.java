package io.metadataops.upgrade;

import static io.metadataops.upgrade.PlannerFixture.CURRENT_IMAGE;
import static io.metadataops.upgrade.PlannerFixture.TARGET_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.upgrade.ServerDeployment.RolloutState;
import io.metadataops.upgrade.UpgradeAction.SetImages;
import io.metadataops.upgrade.UpgradeAction.Simple;
import io.metadataops.upgrade.UpgradeAction.Transition;
import io.metadataops.upgrade.UpgradeAction.Wait;
import io.metadataops.upgrade.UpgradeAction.WaitReason;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may set the server image when a GitOps tool or Helm applies the Deployment. */
@Tag("unit")
class GitOpsPlanningTest {

  private static final Manager.ArgoCd DEPLOYMENT_APP = new Manager.ArgoCd("openmetadata", 0, false);

  @Test
  void readsArgoCdAnnotationTrackingWithItsWaveAndHookMarks() {
    Manager manager =
        Manager.of(
            Map.of("app.kubernetes.io/managed-by", "Helm"),
            Map.of(
                Manager.ARGO_CD_TRACKING_ID,
                "openmetadata:apps/Deployment:om/openmetadata",
                Manager.ARGO_CD_SYNC_WAVE,
                "-1",
                Manager.ARGO_CD_HOOK,
                "PreSync"));
    assertThat(manager).isEqualTo(new Manager.ArgoCd("openmetadata", -1, true));
  }

  @ParameterizedTest
  @CsvSource({
    "kustomize.toolkit.fluxcd.io/name, apps, 'Flux[kind=Kustomization, name=apps]'",
    "helm.toolkit.fluxcd.io/name, om, 'Flux[kind=HelmRelease, name=om]'",
    "app.kubernetes.io/managed-by, Helm, Helm[release=(unnamed)]",
    "app.kubernetes.io/name, openmetadata, None[]",
  })
  void readsFluxAndHelmLabels(String label, String value, String expected) {
    assertThat(Manager.of(Map.of(label, value), Map.of())).hasToString(expected);
  }

  @Test
  void anUnparseableWaveCountsAsTheDefault() {
    Manager manager =
        Manager.of(
            Map.of(),
            Map.of(Manager.ARGO_CD_TRACKING_ID, "a:x", Manager.ARGO_CD_SYNC_WAVE, "soon"));
    assertThat(manager).isEqualTo(new Manager.ArgoCd("a", 0, false));
  }

  @Test
  void theSameApplicationInAnEarlierWaveRollsOutFromGit() {
    assertThat(GitOpsSetup.assess(DEPLOYMENT_APP, new Manager.ArgoCd("openmetadata", -1, false)))
        .isEqualTo(new GitOpsSetup.GitRollout("Argo CD application openmetadata"));
  }

  @Test
  void refusesEverySetupInWhichArgoCdCouldApplyTheImageFirstOrPutItBack() {
    assertThat(refusal(new Manager.None()))
        .contains("put back the image the operator sets")
        .contains("argocd.argoproj.io/sync-wave: \"-1\"");
    assertThat(refusal(new Manager.ArgoCd("platform", -1, false)))
        .contains("applied by application platform")
        .contains("source of openmetadata");
    assertThat(refusal(new Manager.ArgoCd("openmetadata", -1, true)))
        .contains("sync hook")
        .contains("Remove the annotation argocd.argoproj.io/hook");
    assertThat(refusal(new Manager.ArgoCd("openmetadata", 0, false)))
        .contains("sync wave 0, not before the Deployment's (0)");
  }

  @Test
  void fluxNeedsTheUpgradeInFluxToo() {
    Manager.Flux flux = new Manager.Flux("Kustomization", "openmetadata");
    assertThat(GitOpsSetup.assess(flux, new Manager.Flux("Kustomization", "upgrades")))
        .isEqualTo(new GitOpsSetup.GitRollout("Flux Kustomization openmetadata"));
    assertThat(GitOpsSetup.assess(flux, new Manager.None()))
        .isInstanceOfSatisfying(
            GitOpsSetup.Refused.class, r -> assertThat(r.message()).contains("dependsOn"));
  }

  @Test
  void helmAndNobodyLeaveTheRolloutToTheOperator() {
    assertThat(GitOpsSetup.assess(new Manager.Helm("om"), new Manager.None()))
        .isEqualTo(new GitOpsSetup.OperatorRollout());
    assertThat(GitOpsSetup.assess(new Manager.None(), new Manager.ArgoCd("x", -1, false)))
        .isEqualTo(new GitOpsSetup.OperatorRollout());
  }

  @Test
  void aRefusedSetupStallsBeforeAnyJob() {
    PlannerFixture f = argoManaged(new PlannerFixture());
    f.upgradeManager = new Manager.None();
    f.inspection = ChildStatus.ABSENT;
    f.progress = UpgradeProgress.newAttempt(1, PlannerFixture.STARTED, "");
    UpgradeAction action = f.next();
    assertThat(action).isInstanceOf(Transition.class);
    UpgradeProgress stalled = ((Transition) action).progress();
    assertThat(stalled.phase()).isEqualTo(UpgradePhase.STALLED);
    assertThat(stalled.failure().orElseThrow().reason())
        .isEqualTo(FailureReason.SYNC_WOULD_UNDO_UPGRADE);
  }

  @Test
  void withGitOpsTheMigratedUpgradeWaitsForGitToApplyTheImageThenOnlyScales() {
    PlannerFixture f = argoManaged(new PlannerFixture());
    f.in(UpgradePhase.ROLLING_OUT);
    assertThat(f.progress.plan().orElseThrow().gitSource())
        .contains("Argo CD application openmetadata");
    f.server = argoServer(CURRENT_IMAGE, 0, RolloutState.COMPLETE);

    UpgradeAction waiting = f.next();
    assertThat(waiting).isInstanceOf(Wait.class);
    assertThat(((Wait) waiting).reason()).isEqualTo(WaitReason.AWAITING_GIT);
    assertThat(((Wait) waiting).recheckAfter()).isEmpty();
    assertThat(waiting.description())
        .contains("Waiting for Argo CD application openmetadata to apply " + TARGET_IMAGE);

    f.server = argoServer(TARGET_IMAGE, 0, RolloutState.COMPLETE);
    assertThat(f.next()).isEqualTo(new SetImages(TARGET_IMAGE, Optional.empty(), 2));

    f.server = argoServer(TARGET_IMAGE, 2, RolloutState.COMPLETE);
    assertThat(f.next()).isInstanceOf(Transition.class);
  }

  @Test
  void aHelmReleaseAddsAnApprovableValuesItem() {
    PlannerFixture f = new PlannerFixture();
    f.server =
        Optional.of(
            new ServerDeployment(
                CURRENT_IMAGE, 2, 2, RolloutState.COMPLETE, false, new Manager.Helm("om"), false));
    f.validated();
    UpgradePlan plan = f.progress.plan().orElseThrow();
    assertThat(plan.gitSource()).isEmpty();
    assertThat(plan.approvals().pending()).contains("1.10/" + UpgradePlanner.HELM_VALUES);
  }

  @Test
  void aPairWhoseMigrationFailedIsNotRunAgainUntilAPersonSaysSo() {
    PlannerFixture f = new PlannerFixture();
    f.failedUpgrade = Optional.of("1.9.3->1.10.1");
    f.progress = UpgradeProgress.newAttempt(1, PlannerFixture.STARTED, "");
    UpgradeProgress stalled = ((Transition) f.next()).progress();
    assertThat(stalled.phase()).isEqualTo(UpgradePhase.STALLED);
    assertThat(stalled.failure().orElseThrow().reason()).isEqualTo(FailureReason.PREVIOUSLY_FAILED);
    assertThat(stalled.message())
        .contains("metadataops.io/retry-failed-upgrade: \"1.9.3->1.10.1\"");

    f.retryFailedUpgrade = Optional.of("1.9.3->1.10.1");
    assertThat(((Transition) f.next()).progress().phase()).isNotEqualTo(UpgradePhase.STALLED);

    f.retryFailedUpgrade = Optional.empty();
    f.failedUpgrade = Optional.of("1.9.3->1.10.0");
    assertThat(((Transition) f.next()).progress().phase())
        .as("another pair")
        .isNotEqualTo(UpgradePhase.STALLED);
  }

  @Test
  void aServerThatSelfHealScalesUpIsStoppedOnceTheGateRefusesItsPods() {
    PlannerFixture f = argoManaged(new PlannerFixture());
    f.rollingBack(RollbackStep.STOPPING_WRITERS, UpgradePhase.VERIFYING);

    f.server = argoServer(TARGET_IMAGE, 2, 2, false);
    assertThat(f.next()).as("running pods").isEqualTo(Simple.SCALE_DOWN);
    f.server = argoServer(TARGET_IMAGE, 2, 1, true);
    assertThat(f.next()).as("a pod left, the gate refusing new ones").isEqualTo(Simple.SCALE_DOWN);
    f.server = argoServer(TARGET_IMAGE, 2, 0, false);
    assertThat(f.next())
        .as("scaled up again, nothing refused yet: a pod may still start")
        .isEqualTo(Simple.SCALE_DOWN);

    f.server = argoServer(TARGET_IMAGE, 2, 0, true);
    assertThat(nextProgress(f).rollbackStep()).contains(RollbackStep.RESTORING);
  }

  @Test
  void aRollbackAfterGitAppliedTheTargetWaitsForGitInsteadOfFightingTheSelfHeal() {
    PlannerFixture f = argoManaged(new PlannerFixture());
    f.rollingBack(RollbackStep.RESTORING, UpgradePhase.VERIFYING);
    f.server = argoServer(TARGET_IMAGE, 2, 0, true);
    f.restore = ChildStatus.succeeded("upgrade-restore-1");
    f.progress = nextProgress(f);
    assertThat(f.progress.rollbackStep()).contains(RollbackStep.AWAITING_GIT);

    UpgradeAction waiting = f.after(Duration.ofDays(1)).next();
    assertThat(waiting).isInstanceOf(Wait.class);
    assertThat(((Wait) waiting).reason()).isEqualTo(WaitReason.AWAITING_GIT);
    assertThat(((Wait) waiting).recheckAfter()).as("no timeout: a person reverts").isEmpty();
    assertThat(waiting.description())
        .contains("The database is back at 1.9.3 (restored from backup " + PlannerFixture.BACKUP)
        .contains("Waiting for Argo CD application openmetadata to apply " + CURRENT_IMAGE)
        .contains("the Deployment has " + TARGET_IMAGE)
        .contains("Revert the commit");

    f.server = argoServer(CURRENT_IMAGE, 2, 0, false);
    f.progress = nextProgress(f);
    assertThat(f.progress.rollbackStep()).contains(RollbackStep.REDEPLOYING);
    assertThat(f.progress.stepStartedAt())
        .as("the rollout's timeout counts from the revert")
        .contains(f.now);
    assertThat(f.next())
        .as("the previous image rolling out, well within its timeout")
        .isInstanceOf(Wait.class);
  }

  @Test
  void aRollbackBeforeGitAppliedTheTargetPutsThePreviousReplicasBackItself() {
    PlannerFixture f = argoManaged(new PlannerFixture());
    f.rollingBack(RollbackStep.RESTORING, UpgradePhase.MIGRATING);
    f.server = argoServer(CURRENT_IMAGE, 0, 0, false);
    f.restore = ChildStatus.succeeded("upgrade-restore-1");
    assertThat(nextProgress(f).rollbackStep()).contains(RollbackStep.REDEPLOYING);
  }

  /** The next action, which must be a transition: the progress it records. */
  private static UpgradeProgress nextProgress(PlannerFixture f) {
    UpgradeAction action = f.next();
    assertThat(action).isInstanceOf(Transition.class);
    return ((Transition) action).progress();
  }

  private static String refusal(Manager upgrade) {
    GitOpsSetup setup = GitOpsSetup.assess(DEPLOYMENT_APP, upgrade);
    assertThat(setup).isInstanceOf(GitOpsSetup.Refused.class);
    return ((GitOpsSetup.Refused) setup).message();
  }

  private static PlannerFixture argoManaged(PlannerFixture f) {
    f.server = argoServer(CURRENT_IMAGE, 2, RolloutState.COMPLETE);
    f.upgradeManager = new Manager.ArgoCd("openmetadata", -1, false);
    return f;
  }

  private static Optional<ServerDeployment> argoServer(
      String image, int replicas, RolloutState rollout) {
    return Optional.of(
        new ServerDeployment(image, replicas, replicas, rollout, false, DEPLOYMENT_APP, false));
  }

  /** A server Argo CD applied; {@code refused}: the gate refuses the pods it asks for. */
  private static Optional<ServerDeployment> argoServer(
      String image, int replicas, int pods, boolean refused) {
    return Optional.of(
        new ServerDeployment(
            image, replicas, pods, RolloutState.PROGRESSING, false, DEPLOYMENT_APP, refused));
  }
}
