package io.metadataops.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataRestoreStatus;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.k8s.EventRecorder;
import io.metadataops.k8s.JobOutcome;
import io.metadataops.k8s.ServerScaler;
import io.metadataops.k8s.StorageAccess;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One MetadataRestore, one Job running the engine's {@code restore}. With a server target it scales
 * the server to zero first and gives it its replicas back after a successful restore.
 */
@ControllerConfiguration(
    name = "metadatarestore",
    informer = @Informer(itemStore = PrunedItemStore.class))
public class MetadataRestoreReconciler implements Reconciler<MetadataRestore> {

  static final String NOUN = "Restore";
  private static final Duration POD_POLL = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final EngineJobs jobs;
  private final ServerScaler scaler;
  private final EventRecorder events;
  private final OperatorSettings settings;
  private final Clock clock;

  public MetadataRestoreReconciler(
      KubernetesClient client,
      EngineJobs jobs,
      ServerScaler scaler,
      EventRecorder events,
      OperatorSettings settings,
      Clock clock) {
    this.client = client;
    this.jobs = jobs;
    this.scaler = scaler;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, MetadataRestore>> prepareEventSources(
      EventSourceContext<MetadataRestore> context) {
    return List.of(MetadataBackupReconciler.engineJobs(context, MetadataRestore.class));
  }

  @Override
  public UpdateControl<MetadataRestore> reconcile(
      MetadataRestore restore, Context<MetadataRestore> context) {
    MetadataRestoreStatus status =
        restore.getStatus() == null ? new MetadataRestoreStatus() : restore.getStatus();
    restore.setStatus(status);
    if (status.isFinished()) {
      return giveServerBack(restore);
    }
    long generation = restore.getMetadata().getGeneration();
    Optional<Job> job =
        MetadataBackupReconciler.jobNamed(context, EngineJobs.restoreJobName(restore));
    if (job.isPresent()) {
      Optional<BackupPhase> entered =
          JobRuns.apply(status, generation, JobOutcome.observe(client, job.get()), NOUN, clock);
      entered.ifPresent(phase -> recordFinish(restore, phase));
      return entered.isPresent() ? giveServerBack(restore) : UpdateControl.patchStatus(restore);
    }
    if (status.jobName != null) {
      JobRuns.apply(status, generation, JobRuns.lost(status.jobName), NOUN, clock);
      recordFinish(restore, BackupPhase.Failed);
      return UpdateControl.patchStatus(restore);
    }
    Source source = source(restore);
    Validation.record(status, generation, source.problem(), clock);
    if (source.problem().isPresent()) {
      return stalled(restore, source.problem().get());
    }
    if (scalesServer(restore)) {
      Optional<Duration> wait = scaleDown(restore);
      if (wait.isPresent()) {
        return UpdateControl.patchStatus(restore).rescheduleAfter(wait.get());
      }
    }
    EngineJobs.Plan plan =
        jobs.restore(restore, source.storage(), source.location(), source.schemaVersion());
    if (plan.problem().isPresent()) {
      Validation.record(status, generation, plan.problem(), clock);
      return stalled(restore, plan.problem().get());
    }
    client.resource(plan.job()).create();
    status.database = plan.database();
    status.location = plan.location();
    JobRuns.started(status, generation, plan.job().getMetadata().getName(), NOUN, clock);
    events.normal(restore, JobRuns.REASON_JOB_CREATED, status.message);
    return UpdateControl.patchStatus(restore);
  }

  /** Where the dump is and which schema version the target must end up with. */
  record Source(
      StorageSpec storage, String location, String schemaVersion, Optional<Problem> problem) {

    static Source refused(String reason, String message) {
      return new Source(null, null, null, Optional.of(new Problem(reason, message)));
    }
  }

  Source source(MetadataRestore restore) {
    var spec = restore.getSpec();
    String namespace = restore.getMetadata().getNamespace();
    if (spec.location != null) {
      String location = StorageAccess.of(spec.location.storage).location(spec.location.path);
      return new Source(
          spec.location.storage, location, spec.expectedSchemaVersion, Optional.empty());
    }
    MetadataBackup backup =
        client
            .resources(MetadataBackup.class)
            .inNamespace(namespace)
            .withName(spec.backupName)
            .get();
    if (backup == null) {
      return Source.refused(
          "BackupNotFound",
          "MetadataBackup %s/%s not found: fix spec.backupName"
              .formatted(namespace, spec.backupName));
    }
    if (backup.getStatus() == null || backup.getStatus().phase != BackupPhase.Succeeded) {
      return Source.refused(
          "BackupNotSucceeded",
          "MetadataBackup %s/%s has not succeeded (phase %s): only a succeeded backup can be restored"
              .formatted(
                  namespace,
                  spec.backupName,
                  backup.getStatus() == null ? BackupPhase.Pending : backup.getStatus().phase));
    }
    String backupVersion = backup.getStatus().schemaVersion;
    String expected = spec.expectedSchemaVersion;
    if (expected != null
        && backupVersion != null
        && !sameVersion(expected, backupVersion)
        && !spec.allowSchemaVersionMismatch) {
      return Source.refused(
          "SchemaVersionMismatch",
          ("MetadataBackup %s holds OpenMetadata schema %s but spec.expectedSchemaVersion is %s:"
                  + " restore a backup of that version, or set spec.allowSchemaVersionMismatch: true")
              .formatted(spec.backupName, backupVersion, expected));
    }
    return new Source(
        backup.getSpec().storage, backup.getStatus().location, expected, Optional.empty());
  }

  private static boolean sameVersion(String a, String b) {
    return a.replaceFirst("^v", "").equals(b.replaceFirst("^v", ""));
  }

  private boolean scalesServer(MetadataRestore restore) {
    return restore.getSpec().scaleDownServer && restore.getSpec().target.server != null;
  }

  /** Scales the server to zero once, recording its replicas; waits until its pods are gone. */
  private Optional<Duration> scaleDown(MetadataRestore restore) {
    MetadataRestoreStatus status = restore.getStatus();
    String namespace = restore.getMetadata().getNamespace();
    String name = restore.getSpec().target.server.deploymentName;
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (status.serverReplicas == null) {
      Integer replicas = deployment.getSpec().getReplicas();
      status.serverReplicas = replicas == null ? 1 : replicas;
      status.serverRestored = false;
      scaler.scale(namespace, name, 0);
      status.message =
          "scaled Deployment %s from %d to 0 replicas".formatted(name, status.serverReplicas);
      events.normal(restore, "ServerScaledDown", status.message);
      return Optional.of(POD_POLL);
    }
    int remaining = scaler.remainingPods(deployment);
    if (remaining > 0) {
      status.message =
          "waiting for %d pod(s) of Deployment %s to terminate".formatted(remaining, name);
      return Optional.of(POD_POLL);
    }
    return Optional.empty();
  }

  /**
   * After success the server gets its replicas back. After a failure it stays at zero: the database
   * may be half-restored, and a server started on it could make things worse.
   */
  private UpdateControl<MetadataRestore> giveServerBack(MetadataRestore restore) {
    MetadataRestoreStatus status = restore.getStatus();
    if (!scalesServer(restore)
        || status.serverReplicas == null
        || Boolean.TRUE.equals(status.serverRestored)) {
      return UpdateControl.patchStatus(restore);
    }
    String name = restore.getSpec().target.server.deploymentName;
    if (status.phase == BackupPhase.Succeeded) {
      scaler.scale(restore.getMetadata().getNamespace(), name, status.serverReplicas);
      status.serverRestored = true;
      events.normal(
          restore,
          "ServerScaledUp",
          "scaled Deployment %s back to %d replicas".formatted(name, status.serverReplicas));
    } else if (!status.message.contains("kubectl scale")) {
      status.message +=
          ("; Deployment %s is left at 0 replicas because the database may be incomplete: fix the"
                  + " cause and restore again, then `kubectl scale deployment/%s --replicas=%d`")
              .formatted(name, name, status.serverReplicas);
    }
    return UpdateControl.patchStatus(restore);
  }

  private UpdateControl<MetadataRestore> stalled(MetadataRestore restore, Problem problem) {
    events.warning(restore, problem.reason(), problem.message());
    return UpdateControl.patchStatus(restore).rescheduleAfter(settings.recheckInterval());
  }

  private void recordFinish(MetadataRestore restore, BackupPhase phase) {
    if (phase == BackupPhase.Succeeded) {
      events.normal(restore, NOUN + "Succeeded", restore.getStatus().message);
    } else {
      events.warning(restore, NOUN + "Failed", restore.getStatus().message);
    }
  }
}
