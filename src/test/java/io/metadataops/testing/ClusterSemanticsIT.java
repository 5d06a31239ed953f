package io.metadataops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.k8s.EngineJob;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the operator relies on from Kubernetes, proven on the local control plane itself: Jobs
 * complete or fail as the simulation labels say, Deployments roll to a new image, and deleting an
 * owner garbage-collects what it owns.
 */
@ClusterTest
class ClusterSemanticsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ClusterNamespace namespace;
  private final KubernetesClient client;

  ClusterSemanticsIT(ClusterNamespace namespace) {
    this.namespace = namespace;
    this.client = namespace.client();
  }

  @Test
  void aJobCompletes() {
    client.resource(job("completes", Map.of(), 0)).inNamespace(namespace.name()).create();
    await().atMost(TIMEOUT).until(() -> hasCondition(get("completes"), "Complete"));
  }

  @Test
  void aPodWithTheFailureLabelFailsWithItsExitCodeAndTheJobReportsFailure() {
    client
        .resource(job("fails", Map.of(Simulation.OUTCOME, Simulation.FAIL), 0))
        .inNamespace(namespace.name())
        .create();
    await().atMost(TIMEOUT).until(() -> hasCondition(get("fails"), "Failed"));
    var pod =
        client
            .pods()
            .inNamespace(namespace.name())
            .withLabel("job-name", "fails")
            .list()
            .getItems()
            .get(0);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(
            pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isEqualTo(3);
  }

  @Test
  void aDeploymentRollsOutToANewImage() {
    Deployment deployment = OpenMetadataFixture.server("1.5.2", 2);
    deployment.getMetadata().setName("rolling");
    deployment.getSpec().getSelector().setMatchLabels(Map.of("app", "rolling"));
    deployment.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "rolling"));
    client.resource(deployment).inNamespace(namespace.name()).create();
    await().atMost(TIMEOUT).until(() -> available(2));
    client
        .apps()
        .deployments()
        .inNamespace(namespace.name())
        .withName("rolling")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setImage("docker.getcollate.io/openmetadata/server:1.6.0");
              return d;
            });
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              Deployment d =
                  client
                      .apps()
                      .deployments()
                      .inNamespace(namespace.name())
                      .withName("rolling")
                      .get();
              return d.getStatus().getObservedGeneration() == d.getMetadata().getGeneration()
                  && Integer.valueOf(2).equals(d.getStatus().getUpdatedReplicas())
                  && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas())
                  && d.getStatus().getReplicas() == 2;
            });
    assertThat(
            client
                .pods()
                .inNamespace(namespace.name())
                .withLabel("app", "rolling")
                .list()
                .getItems())
        .allSatisfy(
            p -> assertThat(p.getSpec().getContainers().get(0).getImage()).endsWith(":1.6.0"));
  }

  @Test
  void aMigrationCheckPodReportsItsOwnMessageAndOtherPodsTheCommonOne() {
    Map<String, String> messages =
        Map.of(
            Simulation.TERMINATION_MESSAGE, "before",
            Simulation.MIGRATION_CHECK_MESSAGE, "after");
    for (String component : new String[] {"inspect", "migration-check"}) {
      Job job = job(component, Map.of(EngineJob.LABEL_COMPONENT, component), 0);
      job.getSpec().getTemplate().getMetadata().setAnnotations(messages);
      client.resource(job).inNamespace(namespace.name()).create();
    }
    for (String component : new String[] {"inspect", "migration-check"}) {
      await().atMost(TIMEOUT).until(() -> hasCondition(get(component), "Complete"));
    }
    assertThat(message("inspect")).isEqualTo("before");
    assertThat(message("migration-check")).isEqualTo("after");
  }

  private String message(String jobName) {
    return client
        .pods()
        .inNamespace(namespace.name())
        .withLabel("job-name", jobName)
        .list()
        .getItems()
        .get(0)
        .getStatus()
        .getContainerStatuses()
        .get(0)
        .getState()
        .getTerminated()
        .getMessage();
  }

  @Test
  void deletingTheOwnerGarbageCollectsItsJob() {
    ConfigMap owner =
        client
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build())
            .inNamespace(namespace.name())
            .create();
    Job owned = job("owned", Map.of(Simulation.OUTCOME, Simulation.HANG), 0);
    owned.getMetadata().setOwnerReferences(java.util.List.of(EngineJob.ownerReference(owner)));
    client.resource(owned).inNamespace(namespace.name()).create();
    client.configMaps().inNamespace(namespace.name()).withName("owner").delete();
    await().atMost(TIMEOUT).until(() -> get("owned") == null);
  }

  private boolean available(int replicas) {
    Deployment d =
        client.apps().deployments().inNamespace(namespace.name()).withName("rolling").get();
    return d.getStatus() != null
        && Integer.valueOf(replicas).equals(d.getStatus().getAvailableReplicas());
  }

  private Job job(String name, Map<String, String> podLabels, int backoffLimit) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(backoffLimit)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Job get(String name) {
    return client.batch().v1().jobs().inNamespace(namespace.name()).withName(name).get();
  }

  private static boolean hasCondition(Job job, String type) {
    return job != null
        && job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
