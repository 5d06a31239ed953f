package io.metadataops.controller;

import static io.metadataops.testing.OpenMetadataFixture.CLAIM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradePhase;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.UpgradeBackup;
import io.metadataops.api.UpgradeStep;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.ServerReference;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.demo.LocalJobRunner;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import io.metadataops.k8s.DeploymentRollout;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.ClusterTest;
import io.metadataops.testing.OpenMetadataFixture;
import io.metadataops.testing.Simulation;
import io.metadataops.testing.TestOperator;
import io.metadataops.testing.VersionEndpointStandIn;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reindex after an upgrade, on the local control plane: the migration and reindex Jobs' pods
 * run the stand-in server's {@code openmetadata-ops.sh migrate} and {@code reindex} (through {@link
 * LocalJobRunner}) against a real MySQL 8 database, and the stand-in's reindex writes to a search
 * engine stand-in that records what it gets; the engine Jobs are simulated by KWOK.
 */
@ClusterTest
@Tag("database")
@ExtendWith(DatabaseServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReindexControllerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String IMAGE = "docker.getcollate.io/openmetadata/server:";
  private static final String SECRET = "reindex-db";
  private static final String DATABASE = "mysql://127.0.0.1:3307/openmetadata_db";
  private static final String SUMMARY =
      "{\"command\":\"inspect\",\"status\":\"Succeeded\",\"schemaVersion\":\"1.5.2\","
          + "\"tables\":3,\"rows\":79,\"engine\":\"mysql\",\"serverVersion\":\"8.0.31\","
          + "\"database\":\""
          + DATABASE
          + "\"}";
  private static final List<String> APPROVALS_1_6 =
      List.of("1.6/auto-classification", "1.6/lineage-option-moved", "1.6/edit-tags-split");

  private final ClusterNamespace namespace;
  private final KubernetesClient client;
  private final List<String> searchRequests = Collections.synchronizedList(new ArrayList<>());
  private TestOperator operator;
  private VersionEndpointStandIn versionEndpoint;
  private LocalJobRunner runner;
  private HttpServer searchEngine;

  ReindexControllerIT(ClusterNamespace namespace) {
    this.namespace = namespace;
    this.client = namespace.client();
  }

  @BeforeAll
  void start() throws IOException {
    OpenMetadataFixture.install(namespace, "1.5.2", 0);
    OpenMetadataFixture.secret(namespace, SECRET, "password", DbServer.PASSWORD);
    searchEngine = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    searchEngine.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          searchRequests.add(
              exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n" + body);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    searchEngine.start();
    versionEndpoint = VersionEndpointStandIn.start(namespace);
    runner =
        LocalJobRunner.start(
            client,
            Path.of("target/quarkus-app/quarkus-run.jar"),
            Path.of("target/reindex-it").resolve(namespace.name()),
            namespace.name(),
            namespace.name(),
            (env, tag) -> outcome(StandInOpenMetadata.migrate(env, tag)),
            (env, tag) -> outcome(StandInOpenMetadata.reindex(env, tag)));
    operator = TestOperator.start(namespace);
  }

  @AfterAll
  void stop() {
    operator.close();
    runner.close();
    versionEndpoint.close();
    searchEngine.stop(0);
  }

  @Test
  void theIndexesAreRebuiltFromTheMigratedDatabaseOnceTheTargetServes(Databases databases) {
    server("indexed", databases.fresh(DbServer.MYSQL8), searchEngine.getAddress().getPort());
    create(upgrade("indexed"));

    MetadataUpgrade done = awaitPhase("indexed", MetadataUpgradePhase.Succeeded);

    assertThat(done.getStatus().firstFailure).isNull();
    assertThat(done.getStatus().plannedSteps).endsWith("Verifying", "Reindexing");
    assertThat(done.getStatus().steps)
        .extracting(s -> s.name + ":" + s.outcome)
        .endsWith("Verifying:Succeeded", "Reindexing:Succeeded");
    assertThat(done.getStatus().message)
        .contains("the search indexes are rebuilt (indexed-reindex-1)");
    assertThat(done.getStatus().database).isEqualTo(DATABASE);
    assertThat(done.getStatus().databaseServer).isEqualTo("mysql 8.0.31");

    Job job = job("indexed-reindex-1");
    Container reindex = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(reindex.getName()).isEqualTo("reindex");
    assertThat(reindex.getImage()).isEqualTo(IMAGE + "1.6.3");
    assertThat(reindex.getCommand()).containsExactly("./bootstrap/openmetadata-ops.sh", "reindex");
    assertThat(reindex.getEnv()).extracting(EnvVar::getName).contains("ELASTICSEARCH_HOST");
    String bulk =
        searchRequests.stream()
            .filter(r -> r.startsWith("POST /" + StandInOpenMetadata.TABLE_INDEX + "/_bulk"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no bulk request in " + searchRequests));
    assertThat(bulk.lines().filter(l -> l.contains("\"migratedTo\":\"1.6.3\"")))
        .hasSize(StandInOpenMetadata.ENTITIES);
  }

  @Test
  void aFailedReindexLeavesTheUpgradeInPlaceAndSaysHowToRerunIt(Databases databases)
      throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    server("unindexed", databases.fresh(DbServer.MYSQL8), closed);
    create(upgrade("unindexed"));

    MetadataUpgrade done = awaitPhase("unindexed", MetadataUpgradePhase.Succeeded);

    assertThat(done.getStatus().firstFailure.reason).isEqualTo("ReindexFailed");
    assertThat(done.getStatus().firstFailure.step).isEqualTo("Reindexing");
    UpgradeStep last = done.getStatus().steps.get(done.getStatus().steps.size() - 1);
    assertThat(last.name).isEqualTo("Reindexing");
    assertThat(last.outcome).isEqualTo("Failed");
    assertThat(done.getStatus().message)
        .contains("rebuilding the search indexes failed")
        .contains("nothing is rolled back")
        .contains(
            "kubectl exec deploy/unindexed -- /opt/openmetadata/bootstrap/openmetadata-ops.sh"
                + " reindex");
    assertThat(
            deployment("unindexed")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo(IMAGE + "1.6.3");
    assertThat(
            client.v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(e -> "unindexed".equals(e.getInvolvedObject().getName()))
                .filter(e -> "Warning".equals(e.getType()))
                .map(e -> e.getReason() + ": " + e.getMessage()))
        .anySatisfy(e -> assertThat(e).startsWith("ReindexFailed: ").contains("reindex"));
  }

  // ---- Fixtures

  private static LocalJobRunner.Outcome outcome(StandInOpenMetadata.Outcome outcome) {
    return new LocalJobRunner.Outcome(outcome.exitCode(), outcome.message());
  }

  /**
   * A 1.5.2 server on {@code database} (installed there by the stand-in's first migration) whose
   * search engine is at 127.0.0.1:{@code searchPort}.
   */
  private void server(String name, ConnectionSpec database, int searchPort) {
    Map<String, String> env =
        Map.of(
            "DB_SCHEME",
            "mysql",
            "DB_HOST",
            "127.0.0.1",
            "DB_PORT",
            Integer.toString(database.port()),
            "DB_USER",
            DbServer.USER,
            "DB_USER_PASSWORD",
            DbServer.PASSWORD,
            "OM_DATABASE",
            database.database());
    assertThat(StandInOpenMetadata.migrate(env, "1.5.2").exitCode()).isZero();
    Deployment deployment = OpenMetadataFixture.server("1.5.2", 1);
    deployment.getMetadata().setName(name);
    Map<String, String> labels = Map.of("app.kubernetes.io/name", name);
    deployment.getSpec().getSelector().setMatchLabels(labels);
    deployment.getSpec().getTemplate().getMetadata().setLabels(labels);
    List<EnvVar> containerEnv = new ArrayList<>();
    env.forEach(
        (key, value) ->
            containerEnv.add(
                key.equals("DB_USER_PASSWORD")
                    ? new EnvVarBuilder()
                        .withName(key)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(SECRET)
                        .withKey("password")
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build()
                    : new EnvVar(key, value, null)));
    containerEnv.add(new EnvVar("ELASTICSEARCH_HOST", "127.0.0.1", null));
    containerEnv.add(new EnvVar("ELASTICSEARCH_PORT", Integer.toString(searchPort), null));
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(containerEnv);
    client.resource(deployment).inNamespace(namespace.name()).create();
    await()
        .atMost(TIMEOUT)
        .until(() -> deployment(name), d -> DeploymentRollout.of(d) == RolloutState.COMPLETE);
  }

  private MetadataUpgrade upgrade(String name) {
    MetadataUpgrade upgrade = new MetadataUpgrade();
    upgrade.getMetadata().setName(name);
    MetadataUpgradeSpec spec = new MetadataUpgradeSpec();
    spec.server = new ServerReference(name);
    spec.targetVersion = "1.6.3";
    spec.reindex = MetadataUpgradeSpec.Reindex.Always;
    spec.backup = new UpgradeBackup();
    spec.backup.storage = new StorageSpec();
    spec.backup.storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
    spec.backup.storage.persistentVolumeClaim.claimName = CLAIM;
    spec.backup.job.podAnnotations = Simulation.inspections(SUMMARY, Simulation.inspected("1.6.3"));
    spec.approvedChanges = APPROVALS_1_6;
    // The server-image Jobs (migration, reindex) really run: KWOK leaves them to the runner.
    spec.migration.podLabels =
        Map.of(Simulation.OUTCOME, Simulation.HANG, LocalJobRunner.RUNNER_LABEL, namespace.name());
    spec.migration.timeoutSeconds = 90;
    spec.rollout.timeoutSeconds = 30;
    spec.verification.timeoutSeconds = 20;
    spec.verification.url = versionEndpoint.url(name);
    upgrade.setSpec(spec);
    return upgrade;
  }

  private void create(MetadataUpgrade upgrade) {
    client.resource(upgrade).inNamespace(namespace.name()).create();
  }

  private MetadataUpgrade awaitPhase(String name, MetadataUpgradePhase phase) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                client
                    .resources(MetadataUpgrade.class)
                    .inNamespace(namespace.name())
                    .withName(name)
                    .get(),
            u -> u.getStatus() != null && u.getStatus().phase == phase);
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(namespace.name()).withName(name).get();
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(namespace.name()).withName(name).get();
  }
}
