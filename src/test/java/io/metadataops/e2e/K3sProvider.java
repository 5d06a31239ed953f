package io.metadataops.e2e;

import com.github.dockerjava.api.command.SaveImagesCmd;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.LocalCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The scenarios on k3s in a container (Testcontainers), every pod real: the operator image and the
 * stand-in server images are built from this checkout ({@link E2eImages#builds}) and imported into
 * k3s' containerd; the operator runs from deploy/operator; MySQL 8 and PostgreSQL run as
 * Deployments; backup, restore and inspect Jobs run the engine in the operator image and migration
 * Jobs the stand-in image. The test JVM reaches the databases and version endpoints through port
 * forwards. Needs a Docker engine and network access to pull the k3s, MySQL, PostgreSQL and JDK
 * base images.
 */
public final class K3sProvider implements E2eCluster {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final K3sContainer k3s;
  private final KubernetesClient client;
  private final ClusterNamespace namespace;
  private final Map<DatabaseKind, LocalPortForward> databaseForwards =
      new EnumMap<>(DatabaseKind.class);

  private K3sProvider(K3sContainer k3s, KubernetesClient client, ClusterNamespace namespace) {
    this.k3s = k3s;
    this.client = client;
    this.namespace = namespace;
  }

  public static K3sProvider start() throws IOException, InterruptedException {
    List<String> images = new ArrayList<>();
    for (E2eImages.Build build : E2eImages.builds(ROOT)) {
      ImageFromDockerfile image = new ImageFromDockerfile(build.image(), false);
      image.withFileFromPath("Dockerfile", build.dockerfile());
      build.context().forEach(image::withFileFromPath);
      build.args().forEach(image::withBuildArg);
      image.get();
      images.add(build.image());
    }
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(E2eImages.K3S));
    k3s.start();
    try {
      importImages(k3s, images);
      KubernetesClient client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
              .build();
      LocalCluster.installCrds(client);
      ClusterNamespace operatorNamespace =
          new ClusterNamespace(client, E2eManifests.OPERATOR_NAMESPACE);
      E2eSetup.apply(operatorNamespace, E2eManifests.operator(client, ROOT, E2eImages.OPERATOR));
      E2eSetup.awaitRolledOut(operatorNamespace, E2eManifests.OPERATOR_DEPLOYMENT, TIMEOUT);
      ClusterNamespace namespace = E2eSetup.createNamespace(client, "e2e-k3s");
      E2eSetup.prepareNamespace(namespace, true, TIMEOUT);
      return new K3sProvider(k3s, client, namespace);
    } catch (IOException | InterruptedException | RuntimeException e) {
      k3s.stop();
      throw e;
    }
  }

  /**
   * docker save, copy into the k3s container, ctr import: the pods find the images built here
   * without a registry. The database images k3s pulls itself ({@link E2eImages#pulled}).
   */
  private static void importImages(K3sContainer k3s, List<String> images)
      throws IOException, InterruptedException {
    Path tar = Files.createTempFile("metadataops-e2e-images", ".tar");
    try {
      SaveImagesCmd save = DockerClientFactory.instance().client().saveImagesCmd();
      for (String image : images) {
        save.withImage(E2eImages.repository(image), E2eImages.tag(image));
      }
      try (InputStream in = save.exec()) {
        Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
      }
      k3s.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/e2e-images.tar");
      ExecResult result =
          k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/e2e-images.tar");
      if (result.getExitCode() != 0) {
        throw new IllegalStateException(
            "ctr images import failed: " + result.getStdout() + result.getStderr());
      }
    } finally {
      Files.deleteIfExists(tar);
    }
  }

  @Override
  public String name() {
    return "k3s " + E2eImages.K3S;
  }

  @Override
  public ClusterNamespace namespace() {
    return namespace;
  }

  @Override
  public DatabaseAddress databaseForPods(DatabaseKind kind) {
    return E2eManifests.databaseInCluster(kind, namespace.name());
  }

  @Override
  public synchronized DatabaseAddress databaseForTests(DatabaseKind kind) {
    LocalPortForward forward =
        databaseForwards.computeIfAbsent(
            kind,
            k ->
                client
                    .services()
                    .inNamespace(namespace.name())
                    .withName(k.scheme())
                    .portForward(k.port()));
    return new DatabaseAddress("127.0.0.1", forward.getLocalPort());
  }

  @Override
  public String verificationUrl(String deployment) {
    return null; // the operator's default: http://<deployment>.<namespace>.svc:8585/...
  }

  @Override
  public Optional<String> reportedVersion(String deployment) {
    try (LocalPortForward forward =
        client
            .services()
            .inNamespace(namespace.name())
            .withName(deployment)
            .portForward(StandInOpenMetadata.PORT)) {
      return E2eHttp.version(
          "http://127.0.0.1:" + forward.getLocalPort() + StandInOpenMetadata.VERSION_PATH);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public Duration timeout() {
    return TIMEOUT;
  }

  @Override
  public void close() {
    for (LocalPortForward forward : databaseForwards.values()) {
      try {
        forward.close();
      } catch (IOException e) {
        // the container goes next
      }
    }
    client.close();
    k3s.stop();
  }
}
