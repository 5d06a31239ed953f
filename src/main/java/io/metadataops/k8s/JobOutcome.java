package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.backup.Summary;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Where an engine Job stands, with the engine's summary when its container left one. */
public sealed interface JobOutcome {

  record Running(int failedAttempts) implements JobOutcome {}

  record Succeeded(Optional<Summary> summary) implements JobOutcome {}

  /**
   * A Job that gave up. {@code reason} is the engine's error code when it reported one, else the
   * Job controller's reason (BackoffLimitExceeded, DeadlineExceeded).
   */
  record Failed(String reason, String message, int attempts, Optional<Summary> summary)
      implements JobOutcome {}

  /** The reason of an engine Job that completed without reporting what it did. */
  String NO_RESULT = "NoResult";

  /**
   * Reads the Job's pods (their termination messages carry the engine's summary) once the Job has
   * finished; a running Job is judged from the cached Job alone.
   */
  public static JobOutcome observe(KubernetesClient client, Job job) {
    if (condition(job, "Complete").isEmpty() && condition(job, "Failed").isEmpty()) {
      return new Running(failedAttempts(job));
    }
    List<Pod> pods =
        client
            .pods()
            .inNamespace(job.getMetadata().getNamespace())
            .withLabel("job-name", job.getMetadata().getName())
            .list()
            .getItems();
    return of(job, pods);
  }

  static JobOutcome of(Job job, List<Pod> pods) {
    Optional<JobCondition> complete = condition(job, "Complete");
    Optional<JobCondition> failed = condition(job, "Failed");
    int failedAttempts = failedAttempts(job);
    if (complete.isPresent()) {
      Optional<Summary> summary =
          latestTermination(pods, 0).flatMap(t -> TerminationMessages.summary(t.getMessage()));
      if (summary.isEmpty() && runsTheEngine(job)) {
        return new Failed(
            NO_RESULT,
            ("Job %s completed but its engine left no result (termination message): its outcome is"
                    + " unknown, so it does not count as a success; see `kubectl logs job/%s`")
                .formatted(job.getMetadata().getName(), job.getMetadata().getName()),
            failedAttempts,
            Optional.empty());
      }
      return new Succeeded(summary);
    }
    if (failed.isEmpty()) {
      return new Running(failedAttempts);
    }
    Optional<ContainerStateTerminated> lastFailure =
        pods.stream()
            .map(JobOutcome::engineTermination)
            .flatMap(Optional::stream)
            .filter(t -> t.getExitCode() != null && t.getExitCode() != 0)
            .max(Comparator.comparing(t -> Objects.toString(t.getFinishedAt(), "")));
    Optional<Summary> summary =
        lastFailure.flatMap(t -> TerminationMessages.summary(t.getMessage()));
    String reason =
        summary.map(Summary::errorCode).filter(Objects::nonNull).orElse(failed.get().getReason());
    String message =
        summary
            .map(Summary::error)
            .filter(Objects::nonNull)
            .or(
                () ->
                    lastFailure.map(
                        t -> "exit code %d: %s".formatted(t.getExitCode(), tail(t.getMessage()))))
            .orElse(failed.get().getMessage());
    return new Failed(reason, message, failedAttempts, summary);
  }

  static Optional<ContainerStateTerminated> latestTermination(List<Pod> pods, int exitCode) {
    return pods.stream()
        .map(JobOutcome::engineTermination)
        .flatMap(Optional::stream)
        .filter(t -> t.getExitCode() != null && t.getExitCode() == exitCode)
        .max(Comparator.comparing(t -> Objects.toString(t.getFinishedAt(), "")));
  }

  private static Optional<ContainerStateTerminated> engineTermination(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> EngineJob.CONTAINER.equals(s.getName()))
        .map(ContainerStatus::getState)
        .filter(state -> state != null && state.getTerminated() != null)
        .map(state -> state.getTerminated())
        .findFirst();
  }

  /**
   * Engine Jobs (backup, restore, inspect, verify, delete) always report a result; the migration
   * Job runs the server's own command, which reports none.
   */
  private static boolean runsTheEngine(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().stream()
        .anyMatch(c -> EngineJob.CONTAINER.equals(c.getName()));
  }

  private static int failedAttempts(Job job) {
    return job.getStatus() == null || job.getStatus().getFailed() == null
        ? 0
        : job.getStatus().getFailed();
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static String tail(String text) {
    if (text == null || text.isBlank()) {
      return "no output";
    }
    String stripped = text.strip();
    return stripped.length() <= 500
        ? stripped
        : "..." + stripped.substring(stripped.length() - 500);
  }
}
