package io.metadataops.bench;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM of the operator's Deployment, read from the files that define it: the container memory
 * limit from deploy/operator and the JVM options from the image's Dockerfile. The benchmark runs
 * the operator with exactly these, so its numbers are the Deployment's and cannot drift from it.
 */
final class DeploymentJvm {

  static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
  static final Path DEPLOYMENT = Path.of("deploy/operator/04-deployment.yaml");
  static final Path APP_DIR = Path.of("target/quarkus-app").toAbsolutePath();
  static final Path CLASS_DATA_SCRIPT = Path.of("src/main/docker/app-cds.sh");

  private static final String IMAGE_APP_DIR = "/deployments";
  private static final Pattern JAVA_OPTS =
      Pattern.compile("^ENV JAVA_OPTS=\"([^\"]*)\"", Pattern.MULTILINE);

  private DeploymentJvm() {}

  /**
   * The command that starts the operator as its Deployment does: {@code -XX:MaxRAM} standing in for
   * the container limit, the image's options, and its class data archive, written first by the
   * image's own script for this machine's JVM.
   */
  static List<String> command() throws IOException, InterruptedException {
    writeClassDataArchive();
    List<String> command = new ArrayList<>(List.of("java", "-XX:MaxRAM=" + memoryLimitBytes()));
    command.addAll(imageOptions(read(DOCKERFILE)));
    command.addAll(List.of("-jar", APP_DIR.resolve("quarkus-run.jar").toString()));
    return command;
  }

  static List<String> imageOptions(String dockerfile) {
    Matcher options = JAVA_OPTS.matcher(dockerfile);
    if (!options.find()) {
      throw new IllegalStateException(DOCKERFILE + " sets no ENV JAVA_OPTS=\"...\"");
    }
    return Arrays.stream(options.group(1).trim().split("\\s+"))
        .map(option -> option.replace(IMAGE_APP_DIR, APP_DIR.toString()))
        .toList();
  }

  private static void writeClassDataArchive() throws IOException, InterruptedException {
    Process script =
        new ProcessBuilder("sh", CLASS_DATA_SCRIPT.toString(), APP_DIR.toString())
            .inheritIO()
            .start();
    if (script.waitFor() != 0) {
      throw new IllegalStateException(CLASS_DATA_SCRIPT + " failed");
    }
  }

  static long memoryLimitBytes() {
    Deployment deployment = Serialization.unmarshal(read(DEPLOYMENT), Deployment.class);
    Quantity limit =
        deployment
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getResources()
            .getLimits()
            .get("memory");
    return Quantity.getAmountInBytes(limit).longValueExact();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
