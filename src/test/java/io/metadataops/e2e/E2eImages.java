package io.metadataops.e2e;

import io.metadataops.e2e.standin.StandInOpenMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images of the end-to-end tests and the OpenMetadata versions they stand for. On k3s they are
 * built from this checkout and loaded into the cluster; on the local control plane the same names
 * are in the manifests (the pods are simulated), so the naming is tested there too.
 */
public final class E2eImages {

  /** The operator image, built from src/main/docker/Dockerfile.jvm; also the engine of the Jobs. */
  public static final String OPERATOR = "metadataops.local/metadata-operator:e2e";

  /** Repository of the stand-in OpenMetadata server (src/test/docker/openmetadata-standin). */
  public static final String SERVER_REPOSITORY = "metadataops.local/openmetadata-server";

  /** The k3s image of the k3s tier (Kubernetes 1.31). */
  public static final String K3S = "rancher/k3s:v1.31.5-k3s1";

  /** The version installed first. */
  public static final String FROM = "1.5.2";

  /** The version a successful upgrade goes to. */
  public static final String TO = "1.6.3";

  /** The version whose migration fails halfway. */
  public static final String BROKEN = StandInOpenMetadata.BROKEN_MIGRATION;

  /** A 2.x release, whose change log has a status column (real node only). */
  public static final String FROM_2X = "2.0.6";

  /** The 2.x release whose migration exits 0 but leaves its change-log row STARTED. */
  public static final String UNFINISHED = StandInOpenMetadata.UNFINISHED_MIGRATION;

  /** The breaking changes of 1.6, which an upgrade from 1.5 must approve. */
  public static final List<String> APPROVALS_1_6 =
      List.of("1.6/auto-classification", "1.6/lineage-option-moved", "1.6/edit-tags-split");

  private E2eImages() {}

  /** The stand-in server image of {@code version}: the tag is the version it reports. */
  public static String server(String version) {
    return SERVER_REPOSITORY + ":" + version;
  }

  /** Every stand-in server image the scenarios use. */
  public static List<String> servers() {
    return List.of(server(FROM), server(TO), server(BROKEN));
  }

  /**
   * The database server images of the real node, built from Debian packages (and the MySQL server
   * of the database tier) by hack/image/images.sh with the official images' contract.
   */
  public static String realNodeDatabase(DatabaseKind kind) {
    return switch (kind) {
      case MYSQL -> "metadataops.local/mysql:8.0.31";
      case POSTGRESQL -> "metadataops.local/postgres:15";
    };
  }

  /** The images k3s pulls from Docker Hub itself. */
  public static List<String> pulled() {
    return Arrays.stream(DatabaseKind.values()).map(DatabaseKind::image).toList();
  }

  /** The repository of an image reference (with its registry), without the tag. */
  public static String repository(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(0, colon) : image;
  }

  /** The tag of an image reference ({@code latest} when it names none). */
  public static String tag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : "latest";
  }

  /**
   * How to build one image: a Dockerfile, the files of its build context (context path to path in
   * this checkout) and its build arguments.
   */
  public record Build(
      String image, Path dockerfile, Map<String, Path> context, Map<String, String> args) {}

  /**
   * The images this checkout builds for k3s, in build order: the operator (after {@code mvn
   * package}), then the stand-in server of each version on top of it (after test-compile).
   */
  public static List<Build> builds(Path root) {
    List<Build> builds = new ArrayList<>();
    builds.add(
        new Build(
            OPERATOR,
            root.resolve("src/main/docker/Dockerfile.jvm"),
            Map.of(
                "target/quarkus-app",
                root.resolve("target/quarkus-app"),
                "src/main/docker/app-cds.sh",
                root.resolve("src/main/docker/app-cds.sh"),
                "src/main/docker/run-java.sh",
                root.resolve("src/main/docker/run-java.sh")),
            Map.of()));
    Path standIn = root.resolve("src/test/docker/openmetadata-standin");
    String packagePath = StandInOpenMetadata.class.getPackageName().replace('.', '/');
    for (String version : List.of(FROM, TO, BROKEN)) {
      Map<String, Path> context = new LinkedHashMap<>();
      context.put("openmetadata-ops.sh", standIn.resolve("openmetadata-ops.sh"));
      context.put("classes/" + packagePath, root.resolve("target/test-classes/" + packagePath));
      builds.add(
          new Build(
              server(version),
              standIn.resolve("Dockerfile"),
              context,
              Map.of("BASE", OPERATOR, "VERSION", version)));
    }
    return builds;
  }
}
