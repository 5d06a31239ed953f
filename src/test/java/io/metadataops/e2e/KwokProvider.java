package io.metadataops.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.controller.OperatorSettings;
import io.metadataops.demo.LocalJobRunner;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.LocalCluster;
import io.metadataops.testing.Simulation;
import io.metadataops.testing.TestOperator;
import io.metadataops.testing.VersionEndpointStandIn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The scenarios on the local control plane (a real API server, controller-manager and scheduler; a
 * KWOK node). Pods are simulated, so what they would run happens on this machine instead: the
 * operator runs in-process; its Job pods are handed (by label) to a {@link LocalJobRunner}, which
 * runs the engine pods' command with the packaged operator jar and the migration pods' with the
 * stand-in server's migration code, and reports their real outcome in the pod status; the databases
 * are the local MySQL 8 and PostgreSQL of hack/db; the version endpoint follows each Deployment's
 * image tag ({@link VersionEndpointStandIn}). The database servers and the stand-in server are
 * applied from the same manifests as on k3s (simulated pods), and the operator's install manifests
 * are checked by the API server with a server-side dry run.
 */
public final class KwokProvider implements E2eCluster {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final ClusterNamespace namespace;
  private LocalJobRunner runner;
  private VersionEndpointStandIn versionEndpoint;
  private TestOperator operator;

  private KwokProvider(ClusterNamespace namespace) {
    this.namespace = namespace;
  }

  public static KwokProvider start() throws IOException, InterruptedException {
    DatabaseServers.ensureStarted();
    KubernetesClient client = LocalCluster.client();
    KwokProvider provider = new KwokProvider(E2eSetup.createNamespace(client, "e2e-kwok"));
    try {
      provider.dryRunOperatorInstall();
      E2eSetup.prepareNamespace(provider.namespace, false, TIMEOUT);
      String name = provider.namespace.name();
      provider.runner =
          LocalJobRunner.start(
              client,
              ROOT.resolve("target/quarkus-app/quarkus-run.jar"),
              ROOT.resolve("target/e2e-kwok").resolve(name),
              name,
              name,
              (env, tag) -> outcome(StandInOpenMetadata.migrate(env, tag)),
              (env, tag) -> outcome(StandInOpenMetadata.reindex(env, tag)));
      provider.versionEndpoint = VersionEndpointStandIn.start(provider.namespace);
      // Job pods: "hang" keeps KWOK from completing them; the runner label hands them to ours.
      provider.operator =
          TestOperator.start(
              provider.namespace,
              Clock.systemUTC(),
              new OperatorSettings(
                  E2eImages.OPERATOR,
                  Duration.ofSeconds(2),
                  Map.of(Simulation.OUTCOME, Simulation.HANG, LocalJobRunner.RUNNER_LABEL, name)));
      return provider;
    } catch (RuntimeException e) {
      provider.close();
      throw e;
    }
  }

  private static LocalJobRunner.Outcome outcome(StandInOpenMetadata.Outcome outcome) {
    return new LocalJobRunner.Outcome(outcome.exitCode(), outcome.message());
  }

  /**
   * deploy/operator with the e2e image, as k3s applies it, validated by this API server without
   * being stored; namespaced objects are checked in the test namespace (the operator's own does not
   * exist here).
   */
  private void dryRunOperatorInstall() {
    KubernetesClient client = namespace.client();
    for (HasMetadata object : E2eManifests.operator(client, ROOT, E2eImages.OPERATOR)) {
      if (object instanceof Namespaced) {
        client
            .resource(object)
            .inNamespace(namespace.name())
            .dryRun()
            .fieldManager("metadataops-e2e")
            .forceConflicts()
            .serverSideApply();
      } else {
        client
            .resource(object)
            .dryRun()
            .fieldManager("metadataops-e2e")
            .forceConflicts()
            .serverSideApply();
      }
    }
  }

  @Override
  public String name() {
    return "local control plane (KWOK)";
  }

  @Override
  public ClusterNamespace namespace() {
    return namespace;
  }

  @Override
  public DatabaseAddress databaseForPods(DatabaseKind kind) {
    // Pods "run" on this machine: they reach the local servers as the tests do.
    return databaseForTests(kind);
  }

  @Override
  public DatabaseAddress databaseForTests(DatabaseKind kind) {
    DbServer server = kind == DatabaseKind.MYSQL ? DbServer.MYSQL8 : DbServer.POSTGRES;
    return new DatabaseAddress("127.0.0.1", server.port());
  }

  @Override
  public String verificationUrl(String deployment) {
    return versionEndpoint.url(deployment);
  }

  @Override
  public Optional<String> reportedVersion(String deployment) {
    return E2eHttp.version(versionEndpoint.url(deployment));
  }

  /** The local directory the backup claim maps to (the runner's volumes). */
  public Path backupDirectory() {
    return runner.claimDirectory(namespace.name(), E2eManifests.CLAIM);
  }

  @Override
  public Duration timeout() {
    return TIMEOUT;
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    if (runner != null) {
      runner.close();
    }
    if (versionEndpoint != null) {
      versionEndpoint.close();
    }
    E2eSetup.deleteNamespace(namespace);
  }
}
