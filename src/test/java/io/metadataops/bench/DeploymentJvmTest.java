package io.metadataops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.k8s.EngineJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The JVM options the image and the engine Jobs run with are ones a JVM accepts. Both are passed as
 * JAVA_OPTS, which the base image's run script uses as given, without adding its own.
 */
@Tag("unit")
class DeploymentJvmTest {

  @Test
  void theOperatorOptionsOfTheImageStartAJvm() throws Exception {
    List<String> options =
        DeploymentJvm.imageOptions(Files.readString(DeploymentJvm.DOCKERFILE)).stream()
            .filter(option -> !option.startsWith("-XX:SharedArchiveFile="))
            .toList();
    assertThat(options).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    assertThat(javaVersionWith(options)).doesNotContain("Error").contains("version");
  }

  @Test
  void theEngineOptionsStartAJvmWithTheOptimizingCompiler() throws Exception {
    List<String> options = Arrays.asList(EngineJob.ENGINE_JAVA_OPTS.split(" "));
    assertThat(options).noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
    assertThat(javaVersionWith(options)).doesNotContain("Error").contains("version");
  }

  @Test
  void theMemoryLimitIsTheDeploymentsContainerLimit() {
    assertThat(DeploymentJvm.memoryLimitBytes()).isEqualTo(384L * 1024 * 1024);
  }

  private static String javaVersionWith(List<String> options)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(options);
    command.add("-version");
    Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor()).as(output).isZero();
    return output;
  }
}
