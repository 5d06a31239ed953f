package io.metadataops.controller;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.shared.JobRunStatus;
import io.metadataops.backup.Summary;
import io.metadataops.k8s.DeploymentRollout;
import io.metadataops.k8s.JobOutcome;
import io.metadataops.k8s.ServerContainers;
import io.metadataops.k8s.ServerScaler;
import io.metadataops.k8s.VersionEndpoint;
import io.metadataops.upgrade.ChildStatus;
import io.metadataops.upgrade.ServerDeployment;
import io.metadataops.upgrade.UpgradeObservations;
import io.metadataops.upgrade.UpgradePhase;
import io.metadataops.upgrade.UpgradePlanner;
import io.metadataops.upgrade.UpgradeProgress;
import io.metadataops.upgrade.VersionProbe;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/** Reads what the planner decides from: the Deployments, the children, the version endpoint. */
public class UpgradeObserver {

  private final KubernetesClient client;
  private final ServerScaler scaler;
  private final VersionEndpoint versions;

  public UpgradeObserver(KubernetesClient client, ServerScaler scaler, VersionEndpoint versions) {
    this.client = client;
    this.scaler = scaler;
    this.versions = versions;
  }

  public UpgradeObservations observe(
      MetadataUpgrade upgrade, UpgradeProgress progress, Context<MetadataUpgrade> context) {
    MetadataUpgradeSpec spec = upgrade.getSpec();
    String namespace = upgrade.getMetadata().getNamespace();
    UpgradeChildren names = UpgradeChildren.of(upgrade, progress.attempt());
    Optional<Job> inspectionJob = MetadataBackupReconciler.jobNamed(context, names.inspection());
    Optional<JobOutcome> inspection = inspectionJob.map(job -> JobOutcome.observe(client, job));
    VersionProbe probe =
        UpgradePlanner.expectedVersion(progress)
            .map(expected -> versions.probe(versionUrl(upgrade)))
            .orElse(VersionProbe.NOT_PROBED);
    return new UpgradeObservations(
        server(upgrade),
        ingestionImage(upgrade),
        conflictingUpgrade(upgrade),
        inspectionJob.map(job -> jobStatus(job, inspection.get())).orElse(ChildStatus.ABSENT),
        inspection
            .filter(JobOutcome.Succeeded.class::isInstance)
            .flatMap(outcome -> ((JobOutcome.Succeeded) outcome).summary())
            .map(Summary::schemaVersion),
        runStatus(secondary(context, MetadataBackup.class, names.backup())),
        MetadataBackupReconciler.jobNamed(context, names.migration())
            .map(job -> jobStatus(job, JobOutcome.observe(client, job)))
            .orElse(ChildStatus.ABSENT),
        runStatus(secondary(context, MetadataRestore.class, names.restore())),
        probe);
  }

  private Optional<ServerDeployment> server(MetadataUpgrade upgrade) {
    var reference = upgrade.getSpec().server;
    Deployment deployment = deployment(upgrade, reference.deploymentName);
    if (deployment == null) {
      return Optional.empty();
    }
    return ServerContainers.find(deployment, reference.containerName)
        .map(
            container ->
                new ServerDeployment(
                    container.getImage(),
                    DeploymentRollout.replicas(deployment),
                    scaler.remainingPods(deployment),
                    DeploymentRollout.of(deployment)));
  }

  private Optional<String> ingestionImage(MetadataUpgrade upgrade) {
    var ingestion = upgrade.getSpec().ingestion;
    if (ingestion == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(deployment(upgrade, ingestion.deploymentName))
        .flatMap(deployment -> ingestionContainer(deployment, ingestion.containerName))
        .map(Container::getImage);
  }

  /** The named container of the ingestion Deployment, else its first. */
  static Optional<Container> ingestionContainer(Deployment deployment, String name) {
    var containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    return name == null
        ? containers.stream().findFirst()
        : containers.stream().filter(c -> name.equals(c.getName())).findFirst();
  }

  private Deployment deployment(MetadataUpgrade upgrade, String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(upgrade.getMetadata().getNamespace())
        .withName(name)
        .get();
  }

  /**
   * Another unfinished upgrade of the same server Deployment. Of two that validate at the same
   * time, the older one goes ahead.
   */
  private Optional<String> conflictingUpgrade(MetadataUpgrade upgrade) {
    String server = upgrade.getSpec().server.deploymentName;
    Comparator<MetadataUpgrade> age =
        Comparator.comparing((MetadataUpgrade u) -> u.getMetadata().getCreationTimestamp())
            .thenComparing(u -> u.getMetadata().getName());
    return client
        .resources(MetadataUpgrade.class)
        .inNamespace(upgrade.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(other -> !other.getMetadata().getName().equals(upgrade.getMetadata().getName()))
        .filter(other -> server.equals(other.getSpec().server.deploymentName))
        .filter(
            other -> {
              UpgradePhase phase =
                  UpgradePhase.fromValue(
                      other.getStatus() == null ? null : other.getStatus().phase);
              boolean active = !phase.isTerminal() && phase != UpgradePhase.PENDING;
              boolean validating = phase == UpgradePhase.VALIDATING;
              return active && (!validating || age.compare(other, upgrade) < 0);
            })
        .map(other -> other.getMetadata().getName())
        .findFirst();
  }

  private String versionUrl(MetadataUpgrade upgrade) {
    String url = UpgradeSpecs.verification(upgrade.getSpec()).url;
    return url != null
        ? url
        : VersionEndpoint.defaultUrl(
            upgrade.getSpec().server.deploymentName, upgrade.getMetadata().getNamespace());
  }

  /** A Job being deleted still counts as running until it is gone (foreground deletion). */
  static ChildStatus jobStatus(Job job, JobOutcome outcome) {
    String name = job.getMetadata().getName();
    if (job.getMetadata().getDeletionTimestamp() != null) {
      return ChildStatus.running(name);
    }
    if (outcome instanceof JobOutcome.Succeeded) {
      return ChildStatus.succeeded(name);
    }
    if (outcome instanceof JobOutcome.Failed failed) {
      return ChildStatus.failed(name, failed.reason() + ": " + failed.message());
    }
    return ChildStatus.running(name);
  }

  /**
   * A backup or restore: running until it reports a result. One that cannot start (Stalled: a
   * missing claim, a backup that did not succeed) counts as failed.
   */
  static ChildStatus runStatus(
      Optional<? extends CustomResource<?, ? extends JobRunStatus>> child) {
    if (child.isEmpty()) {
      return ChildStatus.ABSENT;
    }
    String name = child.get().getMetadata().getName();
    JobRunStatus status = child.get().getStatus();
    if (status == null) {
      return ChildStatus.running(name);
    }
    if (status.phase == BackupPhase.Succeeded) {
      return ChildStatus.succeeded(name);
    }
    if (status.phase == BackupPhase.Failed || Conditions.isTrue(status, Conditions.STALLED)) {
      return ChildStatus.failed(name, Objects.requireNonNullElse(status.message, "failed"));
    }
    return ChildStatus.running(name);
  }

  private static <R extends HasMetadata> Optional<R> secondary(
      Context<MetadataUpgrade> context, Class<R> type, String name) {
    return context.getSecondaryResources(type).stream()
        .filter(resource -> name.equals(resource.getMetadata().getName()))
        .findFirst();
  }
}
