package io.metadataops.controller.backup;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.DeletionPolicy;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupStatus;
import io.metadataops.backup.Summary;
import io.metadataops.controller.ControllerSupport;
import io.metadataops.controller.PrunedItemStore;
import io.metadataops.controller.SecondaryResources;
import io.metadataops.controller.StatusUpdates;
import io.metadataops.controller.jobs.EngineJobs;
import io.metadataops.controller.jobs.JobRuns;
import io.metadataops.controller.jobs.Validation;
import io.metadataops.k8s.JobOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One MetadataBackup, one Job running the engine's {@code backup}. The result travels back through
 * the container's termination message; the dump is removed on deletion only with deletionPolicy
 * Delete.
 */
@ControllerConfiguration(
    name = "metadatabackup",
    informer = @Informer(itemStore = PrunedItemStore.class))
public class MetadataBackupReconciler
    implements Reconciler<MetadataBackup>, Cleaner<MetadataBackup> {

  public static final String NOUN = "Backup";

  private final ControllerSupport support;
  private final EngineJobs jobs;
  private final BackupMetrics metrics;

  public MetadataBackupReconciler(
      ControllerSupport support, EngineJobs jobs, BackupMetrics metrics) {
    this.support = support;
    this.jobs = jobs;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, MetadataBackup>> prepareEventSources(
      EventSourceContext<MetadataBackup> context) {
    return List.of(SecondaryResources.engineJobs(context, MetadataBackup.class));
  }

  @Override
  public UpdateControl<MetadataBackup> reconcile(
      MetadataBackup backup, Context<MetadataBackup> context) {
    String before = StatusUpdates.begin(backup, MetadataBackupStatus::new);
    MetadataBackupStatus status = backup.getStatus();
    if (status.isFinished()) {
      return UpdateControl.noUpdate();
    }
    Optional<Duration> recheck = Optional.empty();
    if (status.verification != null) {
      finishVerification(backup, outcome(context, status.verification.jobName));
    } else if (status.jobName != null) {
      JobOutcome outcome = outcome(context, status.jobName);
      if (outcome instanceof JobOutcome.Succeeded done && BackupVerifications.requested(backup)) {
        recheck = startVerification(backup, done);
      } else {
        finish(backup, outcome);
      }
    } else {
      recheck = start(backup);
    }
    UpdateControl<MetadataBackup> control = StatusUpdates.patchIfChanged(backup, before);
    return recheck.map(control::rescheduleAfter).orElse(control);
  }

  @Override
  public ErrorStatusUpdateControl<MetadataBackup> updateErrorStatus(
      MetadataBackup backup, Context<MetadataBackup> context, Exception e) {
    return StatusUpdates.recordError(backup, MetadataBackupStatus::new, e, support.clock());
  }

  /** Creates the backup Job, or records why it cannot be (and looks again later). */
  private Optional<Duration> start(MetadataBackup backup) {
    MetadataBackupStatus status = backup.getStatus();
    long generation = backup.getMetadata().getGeneration();
    EngineJobs.Plan plan = jobs.backup(backup);
    Validation.record(status, generation, plan.problem(), support.clock());
    if (plan.problem().isPresent()) {
      status.phase = BackupPhase.Pending;
      support
          .events()
          .warning(backup, plan.problem().get().reason(), plan.problem().get().message());
      return Optional.of(support.settings().recheckInterval());
    }
    SecondaryResources.create(support.client(), plan.job());
    status.database = plan.database();
    status.location = plan.location();
    JobRuns.started(status, generation, plan.job().getMetadata().getName(), NOUN, support.clock());
    metrics.started(backup.getMetadata().getNamespace());
    support.events().normal(backup, JobRuns.REASON_JOB_CREATED, status.message);
    return Optional.empty();
  }

  /** What the Job {@code name} did; one that vanished before it reported is lost. */
  private JobOutcome outcome(Context<MetadataBackup> context, String name) {
    return SecondaryResources.find(context, Job.class, name)
        .map(job -> JobOutcome.observe(support.client(), job))
        .orElseGet(() -> JobRuns.lost(name));
  }

  /** The dump is written: record it and create the Job that verifies it by restore. */
  private Optional<Duration> startVerification(
      MetadataBackup backup, JobOutcome.Succeeded written) {
    MetadataBackupStatus status = backup.getStatus();
    written.summary().ifPresent(summary -> JobRuns.copy(summary, status));
    written.summary().ifPresent(summary -> copyBackupFields(summary, status));
    String scratch = BackupVerifications.scratchDatabase(backup);
    EngineJobs.Plan plan = jobs.verify(backup, scratch);
    if (plan.problem().isPresent()) {
      finish(
          backup,
          new JobOutcome.Failed(
              plan.problem().get().reason(), plan.problem().get().message(), 0, Optional.empty()));
      return Optional.empty();
    }
    SecondaryResources.create(support.client(), plan.job());
    long generation = backup.getMetadata().getGeneration();
    String name = plan.job().getMetadata().getName();
    BackupVerifications.started(status, generation, name, scratch, support.clock());
    support.events().normal(backup, "VerificationStarted", status.message);
    return Optional.empty();
  }

  private void finishVerification(MetadataBackup backup, JobOutcome outcome) {
    MetadataBackupStatus status = backup.getStatus();
    long generation = backup.getMetadata().getGeneration();
    Optional<BackupPhase> entered =
        BackupVerifications.apply(status, generation, outcome, support.clock());
    entered.ifPresent(
        phase -> {
          metrics.verified(backup.getMetadata().getNamespace(), phase == BackupPhase.Succeeded);
          recordFinish(backup, phase);
        });
  }

  private void finish(MetadataBackup backup, JobOutcome outcome) {
    MetadataBackupStatus status = backup.getStatus();
    Optional<BackupPhase> entered =
        JobRuns.apply(status, backup.getMetadata().getGeneration(), outcome, NOUN, support.clock());
    if (outcome instanceof JobOutcome.Succeeded succeeded) {
      succeeded.summary().ifPresent(summary -> copyBackupFields(summary, status));
    }
    entered.ifPresent(phase -> recordFinish(backup, phase));
  }

  private void recordFinish(MetadataBackup backup, BackupPhase phase) {
    MetadataBackupStatus status = backup.getStatus();
    String namespace = backup.getMetadata().getNamespace();
    if (phase == BackupPhase.Succeeded) {
      long seconds = status.durationSeconds == null ? 0 : Math.round(status.durationSeconds);
      metrics.succeeded(
          namespace,
          Duration.ofSeconds(seconds),
          status.sizeBytes == null ? 0 : status.sizeBytes,
          Instant.now(support.clock()));
      support.events().normal(backup, NOUN + "Succeeded", status.message);
    } else {
      metrics.failed(namespace);
      support.events().warning(backup, NOUN + "Failed", status.message);
    }
  }

  private static void copyBackupFields(Summary summary, MetadataBackupStatus status) {
    status.manifestLocation = summary.manifestLocation();
    status.sizeBytes = summary.sizeBytes();
    status.size = summary.sizeBytes() == null ? null : ByteSizes.human(summary.sizeBytes());
    status.sha256 = summary.sha256();
    status.serverVersion = summary.serverVersion();
  }

  @Override
  public DeleteControl cleanup(MetadataBackup backup, Context<MetadataBackup> context) {
    MetadataBackupStatus status = backup.getStatus();
    if (backup.getSpec().deletionPolicy != DeletionPolicy.Delete
        || status == null
        || status.phase != BackupPhase.Succeeded) {
      return DeleteControl.defaultDelete();
    }
    String jobName = EngineJobs.deleteJobName(backup);
    Optional<Job> job = SecondaryResources.find(context, Job.class, jobName);
    if (job.isEmpty()) {
      SecondaryResources.create(support.client(), jobs.deleteDump(backup));
      support
          .events()
          .normal(
              backup,
              "DumpDeletionStarted",
              "Job %s deletes %s".formatted(jobName, status.location));
      return DeleteControl.noFinalizerRemoval();
    }
    JobOutcome outcome = JobOutcome.observe(support.client(), job.get());
    if (outcome instanceof JobOutcome.Succeeded) {
      support.events().normal(backup, "DumpDeleted", "deleted " + status.location);
      return DeleteControl.defaultDelete();
    }
    if (outcome instanceof JobOutcome.Failed failed) {
      support
          .events()
          .warning(
              backup,
              "DumpDeletionFailed",
              "could not delete %s (%s: %s); delete Job %s to retry, or remove the finalizer to keep the dump"
                  .formatted(status.location, failed.reason(), failed.message(), jobName));
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(support.settings().recheckInterval());
    }
    return DeleteControl.noFinalizerRemoval();
  }
}
