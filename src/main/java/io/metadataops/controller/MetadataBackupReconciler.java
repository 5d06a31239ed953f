package io.metadataops.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.DeletionPolicy;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupStatus;
import io.metadataops.backup.Summary;
import io.metadataops.k8s.EngineJob;
import io.metadataops.k8s.EventRecorder;
import io.metadataops.k8s.JobOutcome;
import java.time.Clock;
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

  static final String NOUN = "Backup";

  private final KubernetesClient client;
  private final EngineJobs jobs;
  private final EventRecorder events;
  private final BackupMetrics metrics;
  private final OperatorSettings settings;
  private final Clock clock;

  public MetadataBackupReconciler(
      KubernetesClient client,
      EngineJobs jobs,
      EventRecorder events,
      BackupMetrics metrics,
      OperatorSettings settings,
      Clock clock) {
    this.client = client;
    this.jobs = jobs;
    this.events = events;
    this.metrics = metrics;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, MetadataBackup>> prepareEventSources(
      EventSourceContext<MetadataBackup> context) {
    return List.of(engineJobs(context, MetadataBackup.class));
  }

  static <P extends HasMetadata> InformerEventSource<Job, P> engineJobs(
      EventSourceContext<P> context, Class<P> owner) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, owner)
            .withLabelSelector(EngineJob.selectorForOwnerKind(owner))
            .withItemStore(new PrunedItemStore<>())
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(owner))
            .build(),
        context);
  }

  @Override
  public UpdateControl<MetadataBackup> reconcile(
      MetadataBackup backup, Context<MetadataBackup> context) {
    MetadataBackupStatus status =
        backup.getStatus() == null ? new MetadataBackupStatus() : backup.getStatus();
    backup.setStatus(status);
    if (status.isFinished()) {
      return UpdateControl.noUpdate();
    }
    long generation = backup.getMetadata().getGeneration();
    Optional<Job> job = jobNamed(context, EngineJobs.backupJobName(backup));
    if (job.isEmpty()) {
      if (status.jobName != null) {
        return finish(backup, JobRuns.lost(status.jobName));
      }
      EngineJobs.Plan plan = jobs.backup(backup);
      Validation.record(status, generation, plan.problem(), clock);
      if (plan.problem().isPresent()) {
        status.phase = BackupPhase.Pending;
        events.warning(backup, plan.problem().get().reason(), plan.problem().get().message());
        return UpdateControl.patchStatus(backup).rescheduleAfter(settings.recheckInterval());
      }
      client.resource(plan.job()).create();
      status.database = plan.database();
      status.location = plan.location();
      JobRuns.started(status, generation, plan.job().getMetadata().getName(), NOUN, clock);
      metrics.started(backup.getMetadata().getNamespace());
      events.normal(backup, JobRuns.REASON_JOB_CREATED, status.message);
      return UpdateControl.patchStatus(backup);
    }
    return finish(backup, JobOutcome.observe(client, job.get()));
  }

  private UpdateControl<MetadataBackup> finish(MetadataBackup backup, JobOutcome outcome) {
    MetadataBackupStatus status = backup.getStatus();
    Optional<BackupPhase> entered =
        JobRuns.apply(status, backup.getMetadata().getGeneration(), outcome, NOUN, clock);
    if (outcome instanceof JobOutcome.Succeeded succeeded) {
      succeeded.summary().ifPresent(summary -> copyBackupFields(summary, status));
    }
    entered.ifPresent(phase -> recordFinish(backup, phase));
    return UpdateControl.patchStatus(backup);
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
          Instant.now(clock));
      events.normal(backup, NOUN + "Succeeded", status.message);
    } else {
      metrics.failed(namespace);
      events.warning(backup, NOUN + "Failed", status.message);
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
    Optional<Job> job = jobNamed(context, jobName);
    if (job.isEmpty()) {
      client.resource(jobs.deleteDump(backup)).create();
      events.normal(
          backup, "DumpDeletionStarted", "Job %s deletes %s".formatted(jobName, status.location));
      return DeleteControl.noFinalizerRemoval();
    }
    JobOutcome outcome = JobOutcome.observe(client, job.get());
    if (outcome instanceof JobOutcome.Succeeded) {
      events.normal(backup, "DumpDeleted", "deleted " + status.location);
      return DeleteControl.defaultDelete();
    }
    if (outcome instanceof JobOutcome.Failed failed) {
      events.warning(
          backup,
          "DumpDeletionFailed",
          "could not delete %s (%s: %s); delete Job %s to retry, or remove the finalizer to keep the dump"
              .formatted(status.location, failed.reason(), failed.message(), jobName));
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.recheckInterval());
    }
    return DeleteControl.noFinalizerRemoval();
  }

  static Optional<Job> jobNamed(Context<?> context, String name) {
    return context.getSecondaryResources(Job.class).stream()
        .filter(job -> name.equals(job.getMetadata().getName()))
        .findFirst();
  }
}
