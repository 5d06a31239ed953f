package io.metadataops.controller;

import static io.metadataops.testing.OpenMetadataFixture.CLAIM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.IngestionDeployment;
import io.metadataops.api.IngestionSpec;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradePhase;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.UpgradeBackup;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.ServerReference;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.k8s.DeploymentRollout;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.ClusterTest;
import io.metadataops.testing.OpenMetadataFixture;
import io.metadataops.testing.Simulation;
import io.metadataops.testing.TestOperator;
import io.metadataops.testing.VersionEndpointStandIn;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ingestion side of an upgrade against a real API server: the four Airflow 3 Deployments move
 * to the target's ingestion tag together, and the Kubernetes orchestrator's image, kept in a Secret
 * the operator never edits, is left to a person in status.requiredActions.
 */
@ClusterTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionAlignmentIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String INGESTION = "docker.getcollate.io/openmetadata/ingestion:";
  private static final List<String> AIRFLOW_3 =
      List.of(
          "airflow-api-server", "airflow-dag-processor", "airflow-triggerer", "airflow-scheduler");
  private static final String SUMMARY =
      "{\"command\":\"inspect\",\"status\":\"Succeeded\",\"schemaVersion\":\"1.5.2\","
          + "\"tables\":42,\"rows\":1000}";

  private final ClusterNamespace namespace;
  private final KubernetesClient client;
  private TestOperator operator;
  private VersionEndpointStandIn versionEndpoint;

  IngestionAlignmentIT(ClusterNamespace namespace) {
    this.namespace = namespace;
    this.client = namespace.client();
  }

  @BeforeAll
  void start() {
    OpenMetadataFixture.install(namespace, "1.5.2", 1);
    versionEndpoint = VersionEndpointStandIn.start(namespace);
    operator = TestOperator.start(namespace);
  }

  @AfterAll
  void stop() {
    operator.close();
    versionEndpoint.close();
  }

  @Test
  void airflowComponentsFollowTheServerAndTheOrchestratorsImageIsARequiredAction() {
    AIRFLOW_3.forEach(name -> ingestion(name, INGESTION + "1.5.2"));
    create(upgrade());

    MetadataUpgrade done = awaitPhase(MetadataUpgradePhase.Succeeded);

    for (String name : AIRFLOW_3) {
      assertThat(image(name)).as(name).isEqualTo(INGESTION + "1.6.3");
    }
    assertThat(done.getStatus().previousIngestionImage).isEqualTo(INGESTION + "1.5.2");
    assertThat(done.getStatus().requiredActions)
        .singleElement()
        .asString()
        .startsWith(
            "Set K8S_INGESTION_IMAGE in Secret om-pipeline-secret to " + INGESTION + "1.6.3");
    assertThat(done.getStatus().plan)
        .last()
        .asString()
        .startsWith("By hand: Set K8S_INGESTION_IMAGE");
    assertThat(done.getStatus().message)
        .startsWith("Upgraded from 1.5.2 to 1.6.3. Left to do by hand: Set K8S_INGESTION_IMAGE");
  }

  private void ingestion(String name, String image) {
    Map<String, String> labels = Map.of("app.kubernetes.io/name", name);
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .withMatchLabels(labels)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName(name.substring("airflow-".length()))
            .withImage(image)
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.resource(deployment).inNamespace(namespace.name()).create();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> client.apps().deployments().inNamespace(namespace.name()).withName(name).get(),
            d -> DeploymentRollout.of(d) == RolloutState.COMPLETE);
  }

  private MetadataUpgrade upgrade() {
    MetadataUpgrade upgrade = new MetadataUpgrade();
    upgrade.getMetadata().setName("aligned");
    MetadataUpgradeSpec spec = new MetadataUpgradeSpec();
    spec.server = new ServerReference(OpenMetadataFixture.SERVER);
    spec.targetVersion = "1.6.3";
    spec.ingestion = new IngestionSpec();
    spec.ingestion.deployments =
        AIRFLOW_3.stream()
            .map(
                name -> {
                  IngestionDeployment d = new IngestionDeployment();
                  d.name = name;
                  return d;
                })
            .toList();
    spec.ingestion.orchestratorSecret = "om-pipeline-secret";
    spec.backup = new UpgradeBackup();
    spec.backup.storage = new StorageSpec();
    spec.backup.storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
    spec.backup.storage.persistentVolumeClaim.claimName = CLAIM;
    spec.backup.job.podAnnotations = Simulation.inspections(SUMMARY, Simulation.inspected("1.6.3"));
    spec.approvedChanges =
        List.of("1.6/auto-classification", "1.6/lineage-option-moved", "1.6/edit-tags-split");
    spec.rollout.timeoutSeconds = 30;
    spec.verification.timeoutSeconds = 20;
    spec.verification.url = versionEndpoint.url(OpenMetadataFixture.SERVER);
    upgrade.setSpec(spec);
    return upgrade;
  }

  private void create(MetadataUpgrade upgrade) {
    client.resource(upgrade).inNamespace(namespace.name()).create();
  }

  private MetadataUpgrade awaitPhase(MetadataUpgradePhase phase) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                client
                    .resources(MetadataUpgrade.class)
                    .inNamespace(namespace.name())
                    .withName("aligned")
                    .get(),
            u -> u.getStatus() != null && u.getStatus().phase == phase);
  }

  private String image(String deployment) {
    return client
        .apps()
        .deployments()
        .inNamespace(namespace.name())
        .withName(deployment)
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }
}
