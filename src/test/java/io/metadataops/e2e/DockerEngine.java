package io.metadataops.e2e;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class only where Testcontainers finds a Docker engine; elsewhere the class is skipped
 * (reported as skipped, never as passed) and the reason is printed, so a run without Docker says
 * what it did not test.
 */
public final class DockerEngine implements ExecutionCondition {

  static final String NEEDS =
      "make test-k3s needs a running Docker engine (or what Testcontainers accepts as one) and"
          + " network access to pull "
          + E2eImages.K3S
          + ", "
          + String.join(", ", E2eImages.pulled())
          + " and the JDK base image of src/main/docker/Dockerfile.jvm";

  private static Boolean available;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (isAvailable()) {
      return ConditionEvaluationResult.enabled("a Docker engine is available");
    }
    String reason =
        "no Docker engine on this machine: the k3s tier ("
            + context.getDisplayName()
            + ") is skipped. "
            + NEEDS
            + ".";
    System.err.println("[k3s] SKIPPED: " + reason);
    return ConditionEvaluationResult.disabled(reason);
  }

  private static synchronized boolean isAvailable() {
    if (available == null) {
      try {
        available = DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        available = false;
      }
    }
    return available;
  }
}
