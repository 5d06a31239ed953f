package io.metadataops.upgrade;

import static io.metadataops.upgrade.PlannerFixture.CURRENT_IMAGE;
import static io.metadataops.upgrade.PlannerFixture.CURRENT_INGESTION;
import static io.metadataops.upgrade.PlannerFixture.REGISTRY;
import static io.metadataops.upgrade.PlannerFixture.TARGET_IMAGE;
import static io.metadataops.upgrade.PlannerFixture.TARGET_INGESTION;
import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.upgrade.ServerDeployment.RolloutState;
import io.metadataops.upgrade.UpgradeAction.SetImages;
import io.metadataops.upgrade.UpgradeAction.Transition;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ingestion side: several Deployments (Airflow 3's components) moved to one image together, the
 * tag form, and the Kubernetes orchestrator's image, which only a person can set.
 */
@Tag("unit")
class IngestionPlanTest {

  private static final List<String> AIRFLOW_3 =
      List.of(
          "airflow-api-server", "airflow-dag-processor", "airflow-triggerer", "airflow-scheduler");

  @Test
  void everyAirflowComponentMovesToTheTargetTagAndBackOnRollback() {
    PlannerFixture f = airflow3(CURRENT_INGESTION);
    UpgradePlan plan = planned(f);
    assertThat(plan.previousIngestionImage()).contains(CURRENT_INGESTION);
    assertThat(plan.targetIngestionImage()).contains(TARGET_INGESTION);

    f.progress = f.progress.withPlan(plan).enter(UpgradePhase.ROLLING_OUT, f.now, "");
    f.server(TARGET_IMAGE, 0, 0, RolloutState.COMPLETE);
    assertThat(f.next()).isEqualTo(new SetImages(TARGET_IMAGE, Optional.of(TARGET_INGESTION), 2));

    // One component still on the old image: the rollout is not applied yet.
    f.server(TARGET_IMAGE, 2, 2, RolloutState.COMPLETE);
    f.ingestion =
        AIRFLOW_3.stream()
            .map(
                name ->
                    new IngestionWorkload(
                        name,
                        Optional.of(
                            name.endsWith("scheduler") ? CURRENT_INGESTION : TARGET_INGESTION)))
            .toList();
    assertThat(f.next()).isInstanceOf(SetImages.class);
    f.ingestion = workloads(TARGET_INGESTION);
    assertThat(f.next()).isInstanceOf(Transition.class);
  }

  @Test
  void componentsOnDifferentImagesOrMissingOnesStallNamingThem() {
    PlannerFixture f = airflow3(CURRENT_INGESTION);
    f.ingestion =
        List.of(
            new IngestionWorkload("airflow-api-server", Optional.of(CURRENT_INGESTION)),
            new IngestionWorkload("airflow-scheduler", Optional.of(REGISTRY + "ingestion:1.9.2")));
    UpgradeProgress differ = transition(f);
    assertThat(differ.failure().orElseThrow().reason())
        .isEqualTo(FailureReason.INGESTION_NOT_ALIGNED);
    assertThat(differ.message())
        .contains("airflow-api-server: " + CURRENT_INGESTION)
        .contains("airflow-scheduler: " + REGISTRY + "ingestion:1.9.2");

    f.ingestion =
        List.of(
            new IngestionWorkload("airflow-api-server", Optional.of(CURRENT_INGESTION)),
            new IngestionWorkload("airflow-triggerer", Optional.empty()));
    UpgradeProgress missing = transition(f);
    assertThat(missing.failure().orElseThrow().reason())
        .isEqualTo(FailureReason.INGESTION_DEPLOYMENT_NOT_FOUND);
    assertThat(missing.message()).contains("airflow-triggerer").doesNotContain("api-server");
  }

  @Test
  void theTagFormAndAnExplicitImageAreTheSpecsToChoose() {
    PlannerFixture f = airflow3(CURRENT_INGESTION);
    f.tagForm = IngestionImages.TagForm.FOUR_PART;
    assertThat(planned(f).targetIngestionImage()).contains(REGISTRY + "ingestion:1.10.1.0");

    f.ingestionOverride = Optional.of(REGISTRY + "ingestion:1.10.1.2");
    assertThat(planned(f).targetIngestionImage()).contains(REGISTRY + "ingestion:1.10.1.2");

    PlannerFixture old = airflow3(REGISTRY + "ingestion:1.3.4");
    old.targetVersion = "1.4.8";
    old.server(REGISTRY + "server:1.3.4", 2, 2, RolloutState.COMPLETE);
    old.databaseSchemaVersion = Optional.of("1.3.4");
    old.tagForm = IngestionImages.TagForm.FOUR_PART;
    UpgradeProgress refused = transition(old);
    assertThat(refused.failure().orElseThrow().reason()).isEqualTo(FailureReason.INVALID_IMAGE);
    assertThat(refused.message()).contains("no four-part tag");
  }

  @Test
  void theKubernetesOrchestratorsImageIsARequiredActionNotAnEdit() {
    PlannerFixture f = validating(new PlannerFixture());
    f.ingestionSecret = Optional.of("om-pipeline-secret");

    UpgradePlan plan = planned(f);

    assertThat(plan.targetIngestionImage()).as("no Deployment to set").isEmpty();
    assertThat(plan.manualActions())
        .singleElement()
        .asString()
        .startsWith(
            "Set K8S_INGESTION_IMAGE in Secret om-pipeline-secret to "
                + REGISTRY
                + "ingestion:1.10.1 once the upgrade has succeeded");

    f.progress = f.progress.withPlan(plan).enter(UpgradePhase.VERIFYING, f.now, "");
    f.server(TARGET_IMAGE, 2, 2, RolloutState.COMPLETE);
    f.versionProbe = new VersionProbe.Reported("1.10.1");
    UpgradeProgress done = transition(f);
    assertThat(done.phase()).isEqualTo(UpgradePhase.SUCCEEDED);
    assertThat(done.message())
        .startsWith("Upgraded from 1.9.3 to 1.10.1. Left to do by hand: Set K8S_INGESTION_IMAGE");
  }

  private static PlannerFixture airflow3(String image) {
    PlannerFixture f = validating(new PlannerFixture());
    f.alignIngestion = true;
    f.ingestion = workloads(image);
    return f;
  }

  private static List<IngestionWorkload> workloads(String image) {
    return AIRFLOW_3.stream().map(name -> new IngestionWorkload(name, Optional.of(image))).toList();
  }

  private static PlannerFixture validating(PlannerFixture f) {
    f.progress = UpgradeProgress.newAttempt(1, PlannerFixture.STARTED, "");
    f.server(CURRENT_IMAGE, 2, 2, RolloutState.COMPLETE);
    return f;
  }

  private static UpgradePlan planned(PlannerFixture f) {
    UpgradeProgress progress = transition(f);
    assertThat(progress.plan()).as(progress.message()).isPresent();
    return progress.plan().get();
  }

  private static UpgradeProgress transition(PlannerFixture f) {
    UpgradeAction action = f.next();
    assertThat(action).isInstanceOf(Transition.class);
    return ((Transition) action).progress();
  }
}
