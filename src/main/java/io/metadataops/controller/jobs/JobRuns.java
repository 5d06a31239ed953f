package io.metadataops.controller.jobs;

import static io.metadataops.conditions.ConditionStatus.FALSE;
import static io.metadataops.conditions.ConditionStatus.TRUE;
import static io.metadataops.conditions.ConditionTypes.FAILED;
import static io.metadataops.conditions.ConditionTypes.READY;
import static io.metadataops.conditions.ConditionTypes.RECONCILING;
import static io.metadataops.conditions.ConditionTypes.STALLED;
import static io.metadataops.conditions.ConditionTypes.SUCCEEDED;

import io.metadataops.api.BackupPhase;
import io.metadataops.api.JobRunStatus;
import io.metadataops.backup.Summary;
import io.metadataops.controller.Conditions;
import io.metadataops.k8s.JobOutcome;
import java.time.Clock;
import java.util.Optional;

/**
 * Moves the status of a resource carried out by one engine Job (backup, restore) through its
 * phases, the same way for every kind. Pure: unit-tested without a cluster.
 */
public final class JobRuns {

  public static final String REASON_JOB_CREATED = "JobCreated";
  public static final String REASON_JOB_RUNNING = "JobRunning";

  private JobRuns() {}

  public static void started(
      JobRunStatus status, long generation, String jobName, String noun, Clock clock) {
    status.phase = BackupPhase.Running;
    status.jobName = jobName;
    status.startTime = Conditions.now(clock);
    status.message = "%s Job %s created".formatted(noun, jobName);
    Conditions.writer(status, generation, clock)
        .set(RECONCILING, TRUE, REASON_JOB_CREATED, status.message)
        .set(READY, FALSE, REASON_JOB_CREATED, status.message)
        .set(STALLED, FALSE, REASON_JOB_CREATED, status.message);
  }

  /** Applies what the Job did; returns the phase the status entered, or empty while it runs. */
  public static Optional<BackupPhase> apply(
      JobRunStatus status, long generation, JobOutcome outcome, String noun, Clock clock) {
    status.observedGeneration = generation;
    Conditions.Writer conditions = Conditions.writer(status, generation, clock);
    if (outcome instanceof JobOutcome.Running running) {
      status.message =
          running.failedAttempts() == 0
              ? "%s Job %s is running".formatted(noun, status.jobName)
              : "%s Job %s is running again after %d failed attempt(s)"
                  .formatted(noun, status.jobName, running.failedAttempts());
      conditions.set(RECONCILING, TRUE, REASON_JOB_RUNNING, status.message);
      return Optional.empty();
    }
    status.completionTime = Conditions.now(clock);
    if (outcome instanceof JobOutcome.Succeeded succeeded) {
      succeeded.summary().ifPresent(summary -> copy(summary, status));
      status.phase = BackupPhase.Succeeded;
      status.error = null;
      String reason = noun + "Succeeded";
      status.message =
          "%s succeeded%s".formatted(noun, status.location == null ? "" : ": " + status.location);
      conditions
          .set(SUCCEEDED, TRUE, reason, status.message)
          .set(READY, TRUE, reason, status.message)
          .set(RECONCILING, FALSE, reason, status.message);
      return Optional.of(BackupPhase.Succeeded);
    }
    JobOutcome.Failed failed = (JobOutcome.Failed) outcome;
    failed.summary().ifPresent(summary -> copy(summary, status));
    status.phase = BackupPhase.Failed;
    status.error = "%s: %s".formatted(failed.reason(), failed.message());
    status.message =
        "%s failed after %d attempt(s): %s".formatted(noun, failed.attempts(), status.error);
    conditions
        .set(FAILED, TRUE, failed.reason(), status.message)
        .set(READY, FALSE, failed.reason(), status.message)
        .set(RECONCILING, FALSE, failed.reason(), status.message)
        .set(STALLED, TRUE, failed.reason(), status.message);
    return Optional.of(BackupPhase.Failed);
  }

  /** A Job that vanished before reporting (deleted by hand, or TTL before the operator saw it). */
  public static JobOutcome lost(String jobName) {
    return new JobOutcome.Failed(
        "JobLost",
        "Job %s disappeared before it reported a result: create a new resource to run it again"
            .formatted(jobName),
        0,
        Optional.empty());
  }

  /**
   * Copies what the engine reported into the status. Where it connected replaces what the plan
   * could tell: settings in a Secret (the chart's db-secret) are unknown to the operator.
   */
  public static void copy(Summary summary, JobRunStatus status) {
    if (summary.location() != null) {
      status.location = summary.location();
    }
    if (summary.database() != null) {
      status.database = summary.database();
    }
    status.schemaVersion = summary.schemaVersion();
    status.tables = summary.tables();
    status.rows = summary.rows();
    status.durationSeconds = summary.durationSeconds();
  }
}
