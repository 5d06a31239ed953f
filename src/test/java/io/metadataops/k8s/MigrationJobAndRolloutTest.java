package io.metadataops.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.shared.JobOptions;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MigrationJobAndRolloutTest {

  @Test
  void migrationJobCopiesTheServerPodAndRunsOnceWithTheTargetImage() {
    Deployment server = server();
    Container container = server.getSpec().getTemplate().getSpec().getContainers().get(0);
    MetadataUpgrade owner = new MetadataUpgrade();
    owner.getMetadata().setName("up");
    owner.getMetadata().setNamespace("om");
    owner.getMetadata().setUid("uid-1");

    Job job =
        new MigrationJob(
                "up-migrate-1",
                owner,
                server,
                container,
                "registry/server:1.6.3",
                List.of("./bootstrap/openmetadata-ops.sh", "migrate"),
                "/opt/openmetadata",
                Duration.ofSeconds(600),
                null,
                Map.of("sidecar.istio.io/inject", "false", EngineJob.LABEL_OWNER, "spoofed"),
                Map.of("note", "x"),
                MigrationJob.Task.MIGRATE)
            .build();

    assertThat(job.getMetadata().getLabels())
        .containsEntry(EngineJob.LABEL_MANAGED_BY, EngineJob.NAME)
        .containsEntry(EngineJob.LABEL_COMPONENT, "migration")
        .containsEntry(EngineJob.LABEL_OWNER, "up");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(7 * 24 * 3600);
    var pod = job.getSpec().getTemplate();
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("sidecar.istio.io/inject", "false")
        .containsEntry(EngineJob.LABEL_OWNER, "up");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("note", "x");
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("openmetadata");
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    Container migrate = pod.getSpec().getContainers().get(0);
    assertThat(migrate.getImage()).isEqualTo("registry/server:1.6.3");
    assertThat(migrate.getCommand()).containsExactly("./bootstrap/openmetadata-ops.sh", "migrate");
    assertThat(migrate.getWorkingDir()).isEqualTo("/opt/openmetadata");
    assertThat(migrate.getEnv()).isEqualTo(container.getEnv());
    assertThat(migrate.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));
  }

  /**
   * The official chart's shape: settings from Secrets through envFrom, the migration in the init
   * container run-db-migrations with --force in its additional arguments, an init container before
   * it, a Cloud SQL proxy sidecar the server reaches its database through, and scheduling rules.
   */
  @Test
  void aChartShapedServerIsMigratedByItsInitContainerWithoutForceAndWithItsProxy() {
    Deployment server = chartShapedServer();
    Container container = server.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(ServerContainers.migratesWithForce(server)).isTrue();

    Job job =
        new MigrationJob(
                "up-migrate-1",
                owner(),
                server,
                container,
                "registry/server:1.6.3",
                List.of("./bootstrap/openmetadata-ops.sh", "migrate"),
                "/opt/openmetadata",
                Duration.ofSeconds(600),
                null,
                Map.of(),
                Map.of(),
                MigrationJob.Task.MIGRATE)
            .build();

    var pod = job.getSpec().getTemplate().getSpec();
    Container migrate = pod.getContainers().get(0);
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(migrate.getImage()).isEqualTo("registry/server:1.6.3");
    assertThat(migrate.getCommand()).containsExactly("/bin/bash", "-c");
    assertThat(migrate.getArgs())
        .containsExactly("/opt/openmetadata/bootstrap/openmetadata-ops.sh -d migrate");
    assertThat(migrate.getEnvFrom())
        .extracting(e -> e.getSecretRef().getName())
        .containsExactly("om-db-secret");
    assertThat(migrate.getEnv()).extracting(e -> e.getName()).containsExactly("DB_USER_PASSWORD");
    assertThat(pod.getInitContainers())
        .extracting(c -> c.getName() + ":" + c.getRestartPolicy())
        .as("the proxy as a native sidecar, then what the chart runs before its migration")
        .containsExactly("cloud-sql-proxy:Always", "wait-for-db:null");
    assertThat(pod.getAffinity()).isEqualTo(server.getSpec().getTemplate().getSpec().getAffinity());
    assertThat(pod.getPriorityClassName()).isEqualTo("openmetadata-critical");
    assertThat(pod.getTolerations()).hasSize(1);
  }

  /**
   * A rehearsal migrates a scratch copy: the same Job but for the database setting, which must win
   * over the chart's envFrom Secret and be seen by every later $(OM_DATABASE) reference.
   */
  @Test
  void aRehearsalMigrationJobDiffersOnlyInTheDatabaseItMigrates() {
    MigrationJob planned = rehearsalOf(chartShapedServer());

    Job rehearsal = planned.buildOnDatabase("mdrehearse_0123");

    Container migrate = rehearsal.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(migrate.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("OM_DATABASE=mdrehearse_0123", "DB_USER_PASSWORD=null");
    assertThat(migrate.getEnvFrom()).extracting(e -> e.getSecretRef().getName()).hasSize(1);
    Job real = planned.build();
    migrate.setEnv(real.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
    assertThat(rehearsal).as("nothing else differs").isEqualTo(real);

    Deployment declared = server();
    Container server = declared.getSpec().getTemplate().getSpec().getContainers().get(0);
    server.getEnv().add(0, new EnvVar("OM_DATABASE", "openmetadata_db", null));
    server.getEnv().add(new EnvVar("DB_URL", "jdbc:mysql://mysql/$(OM_DATABASE)", null));
    Job onScratch = rehearsalOf(declared).buildOnDatabase("mdrehearse_0123");
    assertThat(onScratch.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .as("replaced where declared, before the references to it")
        .containsExactly(
            "OM_DATABASE=mdrehearse_0123",
            "DB_HOST=mysql",
            "DB_URL=jdbc:mysql://mysql/$(OM_DATABASE)");
  }

  private static MigrationJob rehearsalOf(Deployment server) {
    return new MigrationJob(
        "up-rehearse-migrate-1",
        owner(),
        server,
        server.getSpec().getTemplate().getSpec().getContainers().get(0),
        "registry/server:1.6.3",
        List.of("./bootstrap/openmetadata-ops.sh", "migrate"),
        "/opt/openmetadata",
        Duration.ofSeconds(600),
        null,
        Map.of(),
        Map.of(),
        MigrationJob.Task.MIGRATE);
  }

  @Test
  void anEngineJobReachesTheDatabaseThroughTheServersProxyAndRunsWhereTheServerMay() {
    Deployment server = chartShapedServer();
    server
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(1)
        .setVolumeMounts(
            List.of(
                new VolumeMountBuilder()
                    .withName("sql-credentials")
                    .withMountPath("/secrets")
                    .build()));
    server
        .getSpec()
        .getTemplate()
        .getSpec()
        .setVolumes(
            List.of(
                new VolumeBuilder()
                    .withName("sql-credentials")
                    .withNewSecret()
                    .withSecretName("sa")
                    .endSecret()
                    .build(),
                new VolumeBuilder().withName("config").withNewEmptyDir().endEmptyDir().build()));
    Container container = server.getSpec().getTemplate().getSpec().getContainers().get(0);
    DatabaseAccess access = DatabaseAccess.ofServer(server, container, name -> null);
    assertThat(access.problems()).isEmpty();

    Job job =
        new EngineJob(
                "b-backup",
                "backup",
                owner(),
                List.of("backup"),
                access.env(),
                access.envFrom(),
                List.of(),
                List.of(),
                access.serverPod(),
                new JobOptions(),
                "engine:1",
                Map.of())
            .build();

    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("engine");
    assertThat(pod.getInitContainers())
        .singleElement()
        .satisfies(
            proxy -> {
              assertThat(proxy.getName()).isEqualTo("cloud-sql-proxy");
              assertThat(proxy.getRestartPolicy()).isEqualTo("Always");
            });
    assertThat(pod.getVolumes())
        .extracting(v -> v.getName())
        .as("the proxy's credentials, not the server's other volumes")
        .contains("sql-credentials", "tmp")
        .doesNotContain("config");
    assertThat(pod.getTolerations()).hasSize(1);
    assertThat(pod.getAffinity()).isNotNull();
    assertThat(pod.getContainers().get(0).getEnvFrom())
        .extracting(e -> e.getSecretRef().getName())
        .containsExactly("om-db-secret");
  }

  @Test
  void theImagePatchMovesEveryContainerOfTheServersRepositoryWithTheServer() {
    Deployment chart = chartShapedServer();
    PodSpec pod = chart.getSpec().getTemplate().getSpec();
    Container server = pod.getContainers().get(0);
    pod.getContainers()
        .add(new ContainerBuilder().withName("same").withImage(server.getImage()).build());
    pod.getContainers().add(new ContainerBuilder().withName("other").withImage("proxy:2").build());
    String patch = ImagePatch.server(chart, server, "registry/server:1.6.3").withReplicas(2).json();
    assertThat(Serialization.unmarshal(patch, Map.class))
        .isEqualTo(
            Map.of(
                "spec",
                Map.of(
                    "replicas",
                    2,
                    "template",
                    Map.of(
                        "spec",
                        Map.of(
                            "containers",
                            List.of(
                                Map.of("name", "openmetadata", "image", "registry/server:1.6.3"),
                                Map.of("name", "same", "image", "registry/server:1.6.3")),
                            "initContainers",
                            List.of(
                                Map.of(
                                    "name", "run-db-migrations",
                                    "image", "registry/server:1.6.3")))))));
    assertThat(ImagePatch.of("ingestion", "registry/ingestion:1.6.3.0").json())
        .doesNotContain("initContainers")
        .doesNotContain("replicas");
  }

  @Test
  void rolloutIsProgressingUntilTheStatusDescribesTheCurrentTemplate() {
    Deployment d = server();
    d.getMetadata().setGeneration(2L);
    d.setStatus(null);
    assertThat(DeploymentRollout.of(d)).isEqualTo(RolloutState.PROGRESSING);

    d.setStatus(status(1L, 2, 2));
    assertThat(DeploymentRollout.of(d)).isEqualTo(RolloutState.PROGRESSING);
    d.setStatus(status(2L, 2, 1));
    assertThat(DeploymentRollout.of(d)).isEqualTo(RolloutState.PROGRESSING);
    d.setStatus(status(2L, 2, 2));
    assertThat(DeploymentRollout.of(d)).isEqualTo(RolloutState.COMPLETE);

    d.getStatus()
        .setConditions(
            List.of(
                new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason("ProgressDeadlineExceeded")
                    .build()));
    assertThat(DeploymentRollout.of(d)).isEqualTo(RolloutState.FAILED);
  }

  @Test
  void theGateRefusingNewPodsIsReadFromTheDeploymentsReplicaFailure() throws Exception {
    Deployment d = server();
    assertThat(DeploymentRollout.gateRefusesPods(d)).as("no status").isFalse();
    d.setStatus(status(1L, 0, 0));
    d.getStatus().setConditions(List.of(replicaFailure("True", "exceeded quota: compute")));
    assertThat(DeploymentRollout.gateRefusesPods(d)).as("another refusal").isFalse();

    String refused =
        "pods \"openmetadata-6f7c9d-\" is forbidden: ValidatingAdmissionPolicy"
            + " 'metadataops-server-image-gate' with binding 'metadataops-server-image-gate'"
            + " denied request: "
            + ServerGateConfigMap.REFUSAL
            + "MetadataUpgrade u is backing up, migrating or restoring the database";
    d.getStatus().setConditions(List.of(replicaFailure("True", refused)));
    assertThat(DeploymentRollout.gateRefusesPods(d)).isTrue();
    d.getStatus().setConditions(List.of(replicaFailure("False", refused)));
    assertThat(DeploymentRollout.gateRefusesPods(d)).isFalse();

    assertThat(Files.readString(Path.of("deploy/operator/06-server-image-gate.yaml")))
        .as("the policy's refusals begin as the operator reads them")
        .contains("'" + ServerGateConfigMap.REFUSAL + "' + params.data.message");
  }

  private static io.fabric8.kubernetes.api.model.apps.DeploymentCondition replicaFailure(
      String status, String message) {
    return new DeploymentConditionBuilder()
        .withType("ReplicaFailure")
        .withStatus(status)
        .withReason("FailedCreate")
        .withMessage(message)
        .build();
  }

  private static io.fabric8.kubernetes.api.model.apps.DeploymentStatus status(
      long observed, int updated, int available) {
    var status = new io.fabric8.kubernetes.api.model.apps.DeploymentStatus();
    status.setObservedGeneration(observed);
    status.setUpdatedReplicas(updated);
    status.setAvailableReplicas(available);
    return status;
  }

  private static Deployment server() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("openmetadata")
        .withNamespace("om")
        .withGeneration(1L)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewTemplate()
        .withNewSpec()
        .withServiceAccountName("openmetadata")
        .withSecurityContext(new PodSecurityContextBuilder().withRunAsUser(1000L).build())
        .addNewContainer()
        .withName("openmetadata")
        .withImage("registry/server:1.5.2")
        .addNewEnv()
        .withName("DB_HOST")
        .withValue("mysql")
        .endEnv()
        .withResources(
            new ResourceRequirementsBuilder()
                .withLimits(Map.of("memory", new Quantity("2Gi")))
                .build())
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static MetadataUpgrade owner() {
    MetadataUpgrade owner = new MetadataUpgrade();
    owner.getMetadata().setName("up");
    owner.getMetadata().setNamespace("om");
    owner.getMetadata().setUid("uid-1");
    return owner;
  }

  private static Deployment chartShapedServer() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("openmetadata")
        .withNamespace("om")
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewTemplate()
        .withNewSpec()
        .withPriorityClassName("openmetadata-critical")
        .withNewAffinity()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey("pool")
        .withOperator("In")
        .withValues("metadata")
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .endAffinity()
        .addNewToleration()
        .withKey("dedicated")
        .withValue("metadata")
        .withEffect("NoSchedule")
        .endToleration()
        .addNewInitContainer()
        .withName("wait-for-db")
        .withImage("busybox")
        .endInitContainer()
        .addNewInitContainer()
        .withName("run-db-migrations")
        .withImage("registry/server:1.5.2")
        .withCommand("/bin/bash", "-c")
        .withArgs("/opt/openmetadata/bootstrap/openmetadata-ops.sh -d migrate --force")
        .addNewEnvFrom()
        .withNewSecretRef()
        .withName("om-db-secret")
        .endSecretRef()
        .endEnvFrom()
        .addNewEnv()
        .withName("DB_USER_PASSWORD")
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName("mysql-secrets")
        .withKey("openmetadata-mysql-password")
        .endSecretKeyRef()
        .endValueFrom()
        .endEnv()
        .endInitContainer()
        .addNewContainer()
        .withName("openmetadata")
        .withImage("registry/server:1.5.2")
        .addNewEnvFrom()
        .withNewSecretRef()
        .withName("om-db-secret")
        .endSecretRef()
        .endEnvFrom()
        .endContainer()
        .addNewContainer()
        .withName("cloud-sql-proxy")
        .withImage("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
