package io.metadataops.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import io.metadataops.k8s.VersionEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end scenarios on the local control plane (see {@link KwokProvider}), plus what the k3s
 * provider does that needs no Docker: the image builds it would run and the stand-in server it
 * would start.
 */
@Tag("cluster")
@Tag("database")
class KwokEndToEndIT extends EndToEndScenarios {

  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

  @Override
  protected E2eCluster startCluster() throws Exception {
    return KwokProvider.start();
  }

  @Test
  void theImagesK3sBuildsHaveTheirDockerfileContextAndArguments() throws IOException {
    List<E2eImages.Build> builds = E2eImages.builds(Path.of("").toAbsolutePath());
    assertThat(builds)
        .extracting(E2eImages.Build::image)
        .containsExactly(
            "metadataops.local/metadata-operator:e2e",
            "metadataops.local/openmetadata-server:1.5.2",
            "metadataops.local/openmetadata-server:1.6.3",
            "metadataops.local/openmetadata-server:1.6.4");
    for (E2eImages.Build build : builds) {
      String dockerfile = Files.readString(build.dockerfile());
      Set<String> declared =
          dockerfile
              .lines()
              .filter(line -> line.startsWith("ARG "))
              .map(line -> line.substring(4).split("=")[0].trim())
              .collect(Collectors.toSet());
      assertThat(declared).as(build.image()).containsAll(build.args().keySet());
      for (Map.Entry<String, Path> file : build.context().entrySet()) {
        assertThat(file.getValue()).as(build.image() + " " + file.getKey()).exists();
      }
      // Every COPY source of the Dockerfile is in the context.
      dockerfile
          .lines()
          .filter(line -> line.startsWith("COPY "))
          .map(line -> line.replaceAll("--\\S+", "").trim().split("\\s+")[1])
          .forEach(
              source ->
                  assertThat(build.context().keySet())
                      .as(build.image() + " COPY " + source)
                      .anySatisfy(
                          path ->
                              assertThat(
                                      path.startsWith(source.replaceAll("/?\\*.*$", ""))
                                          || source.startsWith(path))
                                  .isTrue()));
    }
    assertThat(E2eImages.builds(Path.of("")).get(1).context())
        .containsKey("classes/io/metadataops/e2e/standin");
    assertThat(Files.isExecutable(builds.get(1).context().get("openmetadata-ops.sh"))).isTrue();
    assertThat(E2eImages.pulled()).containsExactly("mysql:8.0", "postgres:15");
    // What k3s imports, named as docker save takes them.
    for (E2eImages.Build build : builds) {
      assertThat(E2eImages.repository(build.image()) + ":" + E2eImages.tag(build.image()))
          .isEqualTo(build.image());
    }
    assertThat(E2eImages.repository(E2eImages.server("1.6.3")))
        .isEqualTo("metadataops.local/openmetadata-server");
    assertThat(DockerEngine.NEEDS).contains(E2eImages.K3S, "mysql:8.0", "postgres:15");
  }

  @Test
  void theStandInServerAnswersItsVersionOnlyOnADatabaseOfItsVersion() throws Exception {
    OpenMetadataInstance om =
        OpenMetadataInstance.install(cluster(), DatabaseKind.MYSQL, "serve", "1.5.2", 1);
    try {
      Map<String, String> env = om.testEnv();
      HttpServer current = StandInOpenMetadata.serve(LOOPBACK, "1.5.2", env);
      HttpServer newer = StandInOpenMetadata.serve(LOOPBACK, "1.6.3", env);
      try {
        assertThat(E2eHttp.version(url(current))).contains("1.5.2");
        assertThat(E2eHttp.version(url(newer))).as("pending migrations").isEmpty();
        assertThat(StandInOpenMetadata.migrate(env, "1.6.3").exitCode()).isZero();
        assertThat(E2eHttp.version(url(newer))).contains("1.6.3");
        assertThat(E2eHttp.version(url(current))).as("database newer than the server").isEmpty();
      } finally {
        current.stop(0);
        newer.stop(0);
      }
    } finally {
      om.drop();
    }
  }

  /**
   * The 2.x contract of the stand-in, as the operator relies on it: the change log's status column,
   * a migration that exits 0 with its row left STARTED, {@code repair}, {@code reindex}, the stop
   * before 2.1, and writes acknowledged only once committed.
   */
  @Test
  void theStandInSpeaksThe2xMigrationContractAndAcknowledgesCommittedWrites() throws Exception {
    OpenMetadataInstance om =
        OpenMetadataInstance.install(cluster(), DatabaseKind.MYSQL, "contract", "2.0.6", 1);
    try {
      Map<String, String> env = om.testEnv();
      assertThat(om.changeLog()).containsExactly("2.0.6 COMPLETED");

      StandInOpenMetadata.Outcome unfinished = StandInOpenMetadata.migrate(env, "2.0.7");
      assertThat(unfinished.exitCode()).as(unfinished.message()).isZero();
      assertThat(om.changeLog()).containsExactly("2.0.6 COMPLETED", "2.0.7 STARTED");
      assertThat(om.schemaVersion()).as("only COMPLETED rows count").isEqualTo("2.0.6");
      // A reindex into a search engine is ReindexControllerIT's; here only its refusal.
      var refused = StandInOpenMetadata.reindex(env, "2.0.7");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.message()).contains("the database schema is 2.0.6, this server is 2.0.7");

      assertThat(StandInOpenMetadata.repair(env).exitCode()).isZero();
      assertThat(om.changeLog()).containsExactly("2.0.6 COMPLETED");
      assertThat(StandInOpenMetadata.migrate(env, "2.0.8").exitCode()).isZero();
      assertThat(om.changeLog()).containsExactly("2.0.6 COMPLETED", "2.0.8 COMPLETED");

      HttpServer server = StandInOpenMetadata.serve(LOOPBACK, "2.0.8", env);
      try (E2eWriter writer =
          E2eWriter.start("http://127.0.0.1:" + server.getAddress().getPort())) {
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() >= 3);
        writer.close();
        assertThat(om.present(writer.acknowledged())).isEqualTo(writer.acknowledged().size());
      } finally {
        server.stop(0);
      }
    } finally {
      om.drop();
    }
    OpenMetadataInstance old =
        OpenMetadataInstance.install(cluster(), DatabaseKind.POSTGRESQL, "stop", "1.13.6", 1);
    try {
      Map<String, String> env = old.testEnv();
      assertThat(StandInOpenMetadata.migrate(env, "2.1.0", true).exitCode())
          .as("2.1 refuses a 1.x database, --force included")
          .isEqualTo(1);
      StandInOpenMetadata.Outcome to2 = StandInOpenMetadata.migrate(env, "2.0.8");
      assertThat(to2.exitCode()).as(to2.message()).isZero();
      assertThat(old.changeLog()).containsExactly("1.13.6 COMPLETED", "2.0.8 COMPLETED");
    } finally {
      old.drop();
    }
  }

  @Test
  void theInClusterAddressesK3sUsesAreTheServicesApplied() throws Exception {
    var namespace = cluster().namespace();
    for (DatabaseKind kind : DatabaseKind.values()) {
      DatabaseAddress address = E2eManifests.databaseInCluster(kind, namespace.name());
      Service service = service(address.host().split("\\.")[0]);
      assertThat(address.host())
          .isEqualTo(service.getMetadata().getName() + "." + namespace.name() + ".svc");
      assertThat(service.getSpec().getPorts())
          .extracting(ServicePort::getPort)
          .containsExactly(address.port());
      assertThat(service.getSpec().getSelector())
          .isEqualTo(
              namespace
                  .client()
                  .apps()
                  .deployments()
                  .inNamespace(namespace.name())
                  .withName(kind.scheme())
                  .get()
                  .getSpec()
                  .getSelector()
                  .getMatchLabels());
    }
    // The operator's default verification URL (what k3s uses) names the stand-in's Service.
    OpenMetadataInstance om =
        OpenMetadataInstance.install(cluster(), DatabaseKind.POSTGRESQL, "addresses", "1.5.2", 1);
    try {
      Service service = service(om.name());
      assertThat(VersionEndpoint.defaultUrl(om.name(), namespace.name()))
          .isEqualTo(
              "http://%s.%s.svc:%d%s"
                  .formatted(
                      service.getMetadata().getName(),
                      namespace.name(),
                      service.getSpec().getPorts().get(0).getPort(),
                      StandInOpenMetadata.VERSION_PATH));
      assertThat(service.getSpec().getSelector())
          .isEqualTo(om.deployment().getSpec().getSelector().getMatchLabels());
      assertThat(
              om.deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
          .extracting(ContainerPort::getContainerPort)
          .containsExactly(StandInOpenMetadata.PORT);
    } finally {
      om.drop();
    }
  }

  private Service service(String name) {
    var namespace = cluster().namespace();
    return namespace.client().services().inNamespace(namespace.name()).withName(name).get();
  }

  private static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + StandInOpenMetadata.VERSION_PATH;
  }
}
