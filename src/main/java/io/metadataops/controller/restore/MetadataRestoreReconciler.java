package io.metadataops.controller.restore;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataRestoreStatus;
import io.metadataops.controller.ControllerSupport;
import io.metadataops.controller.Problem;
import io.metadataops.controller.PrunedItemStore;
import io.metadataops.controller.SecondaryResources;
import io.metadataops.controller.StatusUpdates;
import io.metadataops.controller.jobs.EngineJobs;
import io.metadataops.controller.jobs.JobRuns;
import io.metadataops.controller.jobs.ReferenceChecks;
import io.metadataops.controller.jobs.Validation;
import io.metadataops.k8s.JobOutcome;
import io.metadataops.k8s.ServerScaler;
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

  private static final String NOUN = "Restore";
  private static final Duration POD_POLL = Duration.ofSeconds(2);

  private final ControllerSupport support;
  private final EngineJobs jobs;
  private final ServerScaler scaler;

  public MetadataRestoreReconciler(
      ControllerSupport support, EngineJobs jobs, ServerScaler scaler) {
    this.support = support;
    this.jobs = jobs;
    this.scaler = scaler;
  }

  @Override
  public List<EventSource<?, MetadataRestore>> prepareEventSources(
      EventSourceContext<MetadataRestore> context) {
    return List.of(
        SecondaryResources.engineJobs(context, MetadataRestore.class),
        SecondaryResources.referenced(
            context,
            Deployment.class,
            "restore-server",
            restore -> serverName(restore).stream().toList()));
  }

  @Override
  public UpdateControl<MetadataRestore> reconcile(
      MetadataRestore restore, Context<MetadataRestore> context) {
    String before = StatusUpdates.begin(restore, MetadataRestoreStatus::new);
    Optional<Duration> recheck =
        restore.getStatus().isFinished() ? giveServerBack(restore) : proceed(restore, context);
    UpdateControl<MetadataRestore> control = StatusUpdates.patchIfChanged(restore, before);
    return recheck.map(control::rescheduleAfter).orElse(control);
  }

  @Override
  public ErrorStatusUpdateControl<MetadataRestore> updateErrorStatus(
      MetadataRestore restore, Context<MetadataRestore> context, Exception e) {
    return StatusUpdates.recordError(restore, MetadataRestoreStatus::new, e, support.clock());
  }

  /** The next step of an unfinished restore; when to look again if no event will tell. */
  private Optional<Duration> proceed(MetadataRestore restore, Context<MetadataRestore> context) {
    MetadataRestoreStatus status = restore.getStatus();
    Optional<Job> job =
        SecondaryResources.find(context, Job.class, EngineJobs.restoreJobName(restore));
    if (job.isPresent() || status.jobName != null) {
      finish(
          restore,
          job.map(j -> JobOutcome.observe(support.client(), j))
              .orElseGet(() -> JobRuns.lost(status.jobName)));
      return Optional.empty();
    }
    DumpSource source = DumpSource.of(restore, namedBackup(restore));
    Validation.record(
        status, restore.getMetadata().getGeneration(), source.problem(), support.clock());
    if (source.problem().isPresent()) {
      return stalled(restore, source.problem().get());
    }
    if (serverName(restore).isPresent()) {
      Optional<Duration> wait = scaleDown(restore, context.getSecondaryResource(Deployment.class));
      if (wait.isPresent()) {
        return wait;
      }
    }
    return startJob(restore, source);
  }

  private Optional<Duration> startJob(MetadataRestore restore, DumpSource source) {
    MetadataRestoreStatus status = restore.getStatus();
    long generation = restore.getMetadata().getGeneration();
    EngineJobs.Plan plan =
        jobs.restore(restore, source.storage(), source.location(), source.schemaVersion());
    if (plan.problem().isPresent()) {
      Validation.record(status, generation, plan.problem(), support.clock());
      return stalled(restore, plan.problem().get());
    }
    SecondaryResources.create(support.client(), plan.job());
    status.database = plan.database();
    status.location = plan.location();
    JobRuns.started(status, generation, plan.job().getMetadata().getName(), NOUN, support.clock());
    support.events().normal(restore, JobRuns.REASON_JOB_CREATED, status.message);
    return Optional.empty();
  }

  /**
   * The backup a restore names, read from the API server: a restore looks at it a few times in its
   * life, where an informer would cache every backup of the cluster a second time (the backup
   * controller caches them already) for nothing.
   */
  private Optional<MetadataBackup> namedBackup(MetadataRestore restore) {
    String name = restore.getSpec().backupName;
    return name == null
        ? Optional.empty()
        : Optional.ofNullable(
            support
                .client()
                .resources(MetadataBackup.class)
                .inNamespace(restore.getMetadata().getNamespace())
                .withName(name)
                .get());
  }

  /** The server Deployment this restore scales down, if it does. */
  private static Optional<String> serverName(MetadataRestore restore) {
    var spec = restore.getSpec();
    return spec.scaleDownServer && spec.target.server != null
        ? Optional.of(spec.target.server.deploymentName)
        : Optional.empty();
  }

  /** Scales the server to zero once, recording its replicas; waits until its pods are gone. */
  private Optional<Duration> scaleDown(MetadataRestore restore, Optional<Deployment> server) {
    MetadataRestoreStatus status = restore.getStatus();
    String namespace = restore.getMetadata().getNamespace();
    String name = serverName(restore).orElseThrow();
    if (server.isEmpty()) {
      Problem missing = ReferenceChecks.serverNotFound(namespace, name, "spec.target.server");
      Validation.record(
          status, restore.getMetadata().getGeneration(), Optional.of(missing), support.clock());
      return stalled(restore, missing);
    }
    if (status.serverReplicas == null) {
      Integer replicas = server.get().getSpec().getReplicas();
      status.serverReplicas = replicas == null ? 1 : replicas;
      status.serverRestored = false;
      scaler.scale(namespace, name, 0);
      status.message =
          "scaled Deployment %s from %d to 0 replicas".formatted(name, status.serverReplicas);
      support.events().normal(restore, "ServerScaledDown", status.message);
      return Optional.of(POD_POLL);
    }
    int remaining = scaler.remainingPods(server.get());
    if (remaining > 0) {
      status.message =
          "waiting for %d pod(s) of Deployment %s to terminate".formatted(remaining, name);
      return Optional.of(POD_POLL);
    }
    return Optional.empty();
  }

  private void finish(MetadataRestore restore, JobOutcome outcome) {
    MetadataRestoreStatus status = restore.getStatus();
    Optional<BackupPhase> entered =
        JobRuns.apply(
            status, restore.getMetadata().getGeneration(), outcome, NOUN, support.clock());
    if (entered.isEmpty()) {
      return;
    }
    if (entered.get() == BackupPhase.Succeeded) {
      support.events().normal(restore, NOUN + "Succeeded", status.message);
      giveServerBack(restore);
      return;
    }
    support.events().warning(restore, NOUN + "Failed", status.message);
    if (serverName(restore).isPresent() && status.serverReplicas != null) {
      String name = serverName(restore).get();
      status.message +=
          ("; Deployment %s is left at 0 replicas because the database may be incomplete: fix the"
                  + " cause and restore again, then `kubectl scale deployment/%s --replicas=%d`")
              .formatted(name, name, status.serverReplicas);
    }
  }

  /**
   * After success the server gets its replicas back, once. After a failure it stays at zero: the
   * database may be half-restored, and a server started on it could make things worse.
   */
  private Optional<Duration> giveServerBack(MetadataRestore restore) {
    MetadataRestoreStatus status = restore.getStatus();
    if (serverName(restore).isEmpty()
        || status.phase != BackupPhase.Succeeded
        || status.serverReplicas == null
        || Boolean.TRUE.equals(status.serverRestored)) {
      return Optional.empty();
    }
    String name = serverName(restore).get();
    scaler.scale(restore.getMetadata().getNamespace(), name, status.serverReplicas);
    status.serverRestored = true;
    support
        .events()
        .normal(
            restore,
            "ServerScaledUp",
            "scaled Deployment %s back to %d replicas".formatted(name, status.serverReplicas));
    return Optional.empty();
  }

  private Optional<Duration> stalled(MetadataRestore restore, Problem problem) {
    support.events().warning(restore, problem.reason(), problem.message());
    return Optional.of(support.settings().recheckInterval());
  }
}
