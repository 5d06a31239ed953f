package io.metadataops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of this checkout's hack/ directory (idempotent setup such as hack/node/up.sh or
 * hack/argocd/up.sh) for a test tier that needs what it starts.
 */
public final class HackScript {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  private HackScript() {}

  /** Runs the command in the checkout; its stderr goes to ours, its stdout lines are returned. */
  public static List<String> run(String... command) {
    try {
      Path log = Files.createTempFile("metadataops-hack", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish within " + TIMEOUT);
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              String.join(" ", command)
                  + " failed with exit code "
                  + process.exitValue()
                  + " (its output is above); the tier that needs it cannot run");
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command[0], e);
    }
  }
}
