package io.metadataops.backup.testing;

import io.metadataops.backup.cli.EngineCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The engine's CLI in a JVM of its own, with the JVM options and heap a Job would give it. */
public final class EngineProcess {

  private EngineProcess() {}

  /** Exit code and output (stdout and stderr together) of one engine command. */
  public record Result(int exitCode, String output) {}

  public static void main(String[] args) {
    System.exit(EngineCli.run(args));
  }

  /**
   * Runs the engine with the JVM options an engine Job gives it, in a container whose memory limit
   * is {@code memoryLimit} bytes ({@code -XX:MaxRAM} stands in for the container's limit: the JVM
   * sizes its heap from either the same way).
   */
  public static Result asJob(
      String jobJavaOptions, long memoryLimit, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> jvm = new ArrayList<>(List.of(jobJavaOptions.trim().split("\\s+")));
    jvm.add("-XX:MaxRAM=" + memoryLimit);
    return run(jvm, env, args);
  }

  public static Result run(List<String> jvmOptions, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EngineProcess.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("engine did not finish in 10 minutes: " + output);
    }
    return new Result(process.exitValue(), output);
  }
}
