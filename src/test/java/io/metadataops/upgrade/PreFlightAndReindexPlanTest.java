package io.metadataops.upgrade;

import static io.metadataops.upgrade.PlannerFixture.BACKUP;
import static io.metadataops.upgrade.PlannerFixture.CURRENT_IMAGE;
import static io.metadataops.upgrade.PlannerFixture.REGISTRY;
import static io.metadataops.upgrade.PlannerFixture.TARGET_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.conditions.ConditionStatus;
import io.metadataops.conditions.ConditionTypes;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import io.metadataops.upgrade.UpgradeAction.CreateServerImageJob;
import io.metadataops.upgrade.UpgradeAction.ServerImageJob;
import io.metadataops.upgrade.UpgradeAction.Transition;
import io.metadataops.upgrade.UpgradeAction.Wait;
import io.metadataops.upgrade.UpgradeAction.WaitReason;
import io.metadataops.upgrade.UpgradeSpec.ReindexPolicy;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Validating checks the target's requirements on what the inspect Job found; a planned reindex runs
 * after the target serves (and after a rollback that followed a migration) and never rolls back.
 */
@Tag("unit")
class PreFlightAndReindexPlanTest {

  // ---- Pre-flight in Validating

  @Test
  void aSortBufferTooSmallStallsBeforeAnythingIsCreated() {
    PlannerFixture f = toTwoZero();
    f.databaseServer =
        Optional.of(new DatabaseServer("mysql", "8.0.42", Optional.of(262144L), Optional.empty()));

    UpgradeProgress stalled = transition(f);

    assertThat(stalled.phase()).isEqualTo(UpgradePhase.STALLED);
    assertThat(stalled.failure().orElseThrow().reason())
        .isEqualTo(FailureReason.REQUIREMENT_NOT_MET);
    assertThat(stalled.message())
        .startsWith("The platform does not meet the requirements of OpenMetadata 2.0.8")
        .contains("sessionVariables=sort_buffer_size=20971520");
    assertThat(stalled.plan()).isEmpty();
  }

  @Test
  void anOlderDatabasePatchIsAnApprovalOfTheTargetsLine() {
    PlannerFixture f = toTwoZero();
    f.databaseServer =
        Optional.of(
            new DatabaseServer(
                "mysql", "8.0.31", Optional.of(PlannerFixture.SORT_BUFFER), Optional.empty()));

    UpgradeProgress waiting = transition(f);

    assertThat(waiting.phase()).isEqualTo(UpgradePhase.AWAITING_APPROVAL);
    UpgradePlan plan = waiting.plan().orElseThrow();
    assertThat(plan.approvals().pending()).containsExactly("2.0/mysql-version");
    assertThat(waiting.message()).contains("2.0/mysql-version").contains("MySQL 8.0.31");
    CatalogueEntry twoZero =
        plan.crossed().stream()
            .filter(e -> e.minor().toString().equals("2.0"))
            .findFirst()
            .orElseThrow();
    assertThat(twoZero.changes()).extracting(BreakingChange::id).contains("2.0/mysql-version");

    f.approvedChanges = union(f.approvedChanges, "2.0/mysql-version");
    assertThat(transition(f).phase()).isEqualTo(UpgradePhase.PRE_FLIGHT);
  }

  @Test
  void aSearchEngineTooOldForTheTargetStalls() {
    PlannerFixture f = toTwoZero();
    f.checksSearch = true;
    f.searchImage = Optional.of("docker.elastic.co/elasticsearch/elasticsearch:8.11.3");

    UpgradeProgress stalled = transition(f);

    assertThat(stalled.phase()).isEqualTo(UpgradePhase.STALLED);
    assertThat(stalled.message()).contains("Elasticsearch 8.11.3").contains("9.0 or later");

    f.searchImage = Optional.empty();
    UpgradeProgress missing = transition(f);
    assertThat(missing.failure().orElseThrow().reason())
        .isEqualTo(FailureReason.SEARCH_WORKLOAD_NOT_FOUND);
  }

  // ---- Reindex: planned from the catalogue or the spec

  @Test
  void aCrossedChangeThatNeedsItPlansAReindexAfterVerifying() {
    PlannerFixture f = upgrade("1.11.14", "1.12.14");
    assertThat(transition(f).plan().orElseThrow().steps())
        .endsWith(UpgradePhase.VERIFYING, UpgradePhase.REINDEXING);

    f.reindex = ReindexPolicy.NEVER;
    assertThat(transition(f).plan().orElseThrow().steps()).doesNotContain(UpgradePhase.REINDEXING);
  }

  @Test
  void byDefaultAnUpgradeTheCatalogueSaysNothingAboutDoesNotReindex() {
    PlannerFixture f = validating(new PlannerFixture());
    assertThat(transition(f).plan().orElseThrow().steps()).doesNotContain(UpgradePhase.REINDEXING);

    f.reindex = ReindexPolicy.ALWAYS;
    assertThat(transition(f).plan().orElseThrow().steps()).contains(UpgradePhase.REINDEXING);
  }

  @Test
  void aVerifiedTargetIsReindexedWithItsImageThenSucceeds() {
    PlannerFixture f = reindexing(UpgradePhase.VERIFYING);
    f.server(TARGET_IMAGE, 2, 2, RolloutState.COMPLETE);
    f.versionProbe = new VersionProbe.Reported("1.10.1");

    UpgradeProgress entered = transition(f);
    assertThat(entered.phase()).isEqualTo(UpgradePhase.REINDEXING);

    f.progress = entered;
    assertThat(f.next())
        .isEqualTo(
            new CreateServerImageJob(
                ServerImageJob.REINDEX,
                TARGET_IMAGE,
                MigrationCommand.reindex(Version.parse("1.10.1")).orElseThrow()));
    f.reindexJob = ChildStatus.running("upgrade-reindex-1");
    assertThat(f.next())
        .isInstanceOfSatisfying(
            Wait.class, w -> assertThat(w.reason()).isEqualTo(WaitReason.REINDEX_RUNNING));
    f.reindexJob = ChildStatus.succeeded("upgrade-reindex-1");
    UpgradeProgress done = transition(f);
    assertThat(done.phase()).isEqualTo(UpgradePhase.SUCCEEDED);
    assertThat(done.failure()).isEmpty();
    assertThat(done.message()).contains("the search indexes are rebuilt (upgrade-reindex-1)");
  }

  @Test
  void aFailedReindexRollsNothingBackAndSaysHowToRerunIt() {
    PlannerFixture f = reindexing(UpgradePhase.REINDEXING);
    f.server(TARGET_IMAGE, 2, 2, RolloutState.COMPLETE);
    f.reindexJob = ChildStatus.failed("upgrade-reindex-1", "BackoffLimitExceeded: exit code 1");

    UpgradeProgress done = transition(f);

    assertThat(done.phase()).isEqualTo(UpgradePhase.SUCCEEDED);
    assertThat(done.failure().orElseThrow().reason()).isEqualTo(FailureReason.REINDEX_FAILED);
    assertThat(done.failure().orElseThrow().phase()).isEqualTo(UpgradePhase.REINDEXING);
    assertThat(done.message())
        .contains("Upgraded from 1.9.3 to 1.10.1, but rebuilding the search indexes failed")
        .contains("exit code 1")
        .contains("The data is fine")
        .contains("nothing is rolled back")
        .contains(
            "kubectl exec deploy/openmetadata --"
                + " /opt/openmetadata/bootstrap/openmetadata-ops.sh reindex");
    assertThat(UpgradeConditions.derive(done, false))
        .filteredOn(c -> c.type().equals(ConditionTypes.READY))
        .singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo(ConditionStatus.TRUE));
  }

  // ---- Reindex after a rollback

  @Test
  void aRollbackAfterAMigrationRebuildsTheIndexesWithThePreviousImage() {
    PlannerFixture f = previousVersionServesAgain(UpgradePhase.MIGRATING);

    UpgradeProgress reindexing = transition(f);
    assertThat(reindexing.rollbackStep()).contains(RollbackStep.REINDEXING);

    f.progress = reindexing;
    assertThat(f.next())
        .isEqualTo(
            new CreateServerImageJob(
                ServerImageJob.REINDEX,
                CURRENT_IMAGE,
                MigrationCommand.reindex(Version.parse("1.9.3")).orElseThrow()));
    f.reindexJob = ChildStatus.failed("upgrade-reindex-1", "search unreachable");
    UpgradeProgress rolledBack = transition(f);
    assertThat(rolledBack.phase()).isEqualTo(UpgradePhase.ROLLED_BACK);
    assertThat(rolledBack.rollbackFailure()).isEmpty();
    assertThat(rolledBack.message())
        .contains("The migration failed.")
        .contains(BACKUP)
        .contains("Rebuilding the search indexes failed")
        .contains("search unreachable")
        .contains("openmetadata-ops.sh reindex");
  }

  @Test
  void aRollbackBeforeAnyMigrationLeavesTheIndexesAlone() {
    PlannerFixture f = previousVersionServesAgain(UpgradePhase.BACKING_UP);

    assertThat(transition(f).phase()).isEqualTo(UpgradePhase.ROLLED_BACK);
  }

  // ---- Fixtures

  private static PlannerFixture toTwoZero() {
    return upgrade("1.12.14", "2.0.8");
  }

  /**
   * Validating an upgrade of server and database at {@code from} to {@code to}, on MySQL 8.0.42
   * with a 20 MB sort buffer, every catalogue item approved.
   */
  private static PlannerFixture upgrade(String from, String to) {
    PlannerFixture f = validating(new PlannerFixture());
    f.targetVersion = to;
    f.server(REGISTRY + "server:" + from, 2, 2, RolloutState.COMPLETE);
    f.databaseSchemaVersion = Optional.of(from);
    f.approvedChanges =
        Set.copyOf(
            PlannerFixture.CATALOGUE.crossed(Version.parse(from), Version.parse(to)).stream()
                .flatMap(e -> e.changes().stream())
                .map(BreakingChange::id)
                .toList());
    return f;
  }

  /**
   * A rollback of an upgrade that planned a reindex, after a failure in {@code failed}, whose
   * previous version has just been seen serving again.
   */
  private static PlannerFixture previousVersionServesAgain(UpgradePhase failed) {
    PlannerFixture f = new PlannerFixture();
    f.reindex = ReindexPolicy.ALWAYS;
    f.rollingBack(RollbackStep.VERIFYING, failed);
    f.server(CURRENT_IMAGE, 2, 2, RolloutState.COMPLETE);
    f.versionProbe = new VersionProbe.Reported("1.9.3");
    return f;
  }

  /** The default upgrade with a reindex planned, in {@code phase}. */
  private static PlannerFixture reindexing(UpgradePhase phase) {
    PlannerFixture f = new PlannerFixture();
    f.reindex = ReindexPolicy.ALWAYS;
    return f.in(phase);
  }

  private static PlannerFixture validating(PlannerFixture f) {
    f.progress = UpgradeProgress.newAttempt(1, PlannerFixture.STARTED, "");
    return f;
  }

  private static UpgradeProgress transition(PlannerFixture f) {
    UpgradeAction action = f.next();
    assertThat(action).isInstanceOf(Transition.class);
    return ((Transition) action).progress();
  }

  private static Set<String> union(Set<String> ids, String id) {
    Set<String> all = new HashSet<>(ids);
    all.add(id);
    return all;
  }
}
