package io.metadataops.controller.upgrade;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.JobRunStatus;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.SearchSpec;
import io.metadataops.backup.Summary;
import io.metadataops.conditions.ConditionTypes;
import io.metadataops.controller.Conditions;
import io.metadataops.controller.SecondaryResources;
import io.metadataops.k8s.DeploymentRollout;
import io.metadataops.k8s.JobOutcome;
import io.metadataops.k8s.ServerContainers;
import io.metadataops.k8s.ServerGateConfigMap;
import io.metadataops.k8s.ServerScaler;
import io.metadataops.k8s.VersionEndpoint;
import io.metadataops.upgrade.ChildStatus;
import io.metadataops.upgrade.DatabaseServer;
import io.metadataops.upgrade.IngestionWorkload;
import io.metadataops.upgrade.MigrationCheck;
import io.metadataops.upgrade.RehearsalObservations;
import io.metadataops.upgrade.ServerDeployment;
import io.metadataops.upgrade.UpgradeObservations;
import io.metadataops.upgrade.UpgradePhase;
import io.metadataops.upgrade.UpgradePlanner;
import io.metadataops.upgrade.UpgradeProgress;
import io.metadataops.upgrade.VersionProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads what the planner decides from: the Deployments, the children, the version endpoint. */
public record UpgradeObserver(
    KubernetesClient client, ServerScaler scaler, VersionEndpoint versions) {

  public UpgradeObservations observe(
      MetadataUpgrade upgrade, UpgradeProgress progress, Context<MetadataUpgrade> context) {
    MetadataUpgradeSpec spec = upgrade.getSpec();
    String namespace = upgrade.getMetadata().getNamespace();
    UpgradeChildren names = UpgradeChildren.of(upgrade, progress.attempt());
    Optional<Job> inspectionJob = SecondaryResources.find(context, Job.class, names.inspection());
    Optional<JobOutcome> inspection = inspectionJob.map(job -> JobOutcome.observe(client, job));
    Optional<Summary> inspected =
        inspection
            .filter(JobOutcome.Succeeded.class::isInstance)
            .flatMap(outcome -> ((JobOutcome.Succeeded) outcome).summary());
    VersionProbe probe =
        UpgradePlanner.expectedVersion(progress)
            .map(expected -> versions.probe(versionUrl(upgrade)))
            .orElse(VersionProbe.NOT_PROBED);
    return new UpgradeObservations(
        server(upgrade, context),
        ingestion(upgrade, context),
        conflictingUpgrade(upgrade, context),
        inspectionJob.map(job -> jobStatus(job, inspection.get())).orElse(ChildStatus.ABSENT),
        inspected.map(Summary::schemaVersion),
        inspected.flatMap(UpgradeObserver::databaseServer),
        progress.phase() == UpgradePhase.VALIDATING
            ? searchImage(upgrade.getSpec().search, namespace)
            : Optional.empty(),
        runStatus(SecondaryResources.find(context, MetadataBackup.class, names.preFlight())),
        rehearsal(progress, names, context),
        runStatus(SecondaryResources.find(context, MetadataBackup.class, names.backup())),
        jobStatus(context, names.migration()),
        SecondaryResources.find(context, Job.class, names.migrationCheck())
            .map(this::migrationCheck)
            .orElse(MigrationCheck.ABSENT),
        runStatus(SecondaryResources.find(context, MetadataRestore.class, names.restore())),
        jobStatus(context, names.reindex()),
        probe,
        progress.phase() == UpgradePhase.VALIDATING ? failedUpgrade(upgrade) : Optional.empty());
  }

  /** Read once per validation: a gate changes only when an upgrade of the server acts. */
  private Optional<String> failedUpgrade(MetadataUpgrade upgrade) {
    return Optional.ofNullable(
            client
                .configMaps()
                .inNamespace(upgrade.getMetadata().getNamespace())
                .withName(ServerGateConfigMap.name(upgrade.getSpec().server.deploymentName))
                .get())
        .map(ConfigMap::getData)
        .map(data -> data.get(ServerGateConfigMap.FAILED_UPGRADE));
  }

  /** The rehearsal's Jobs, looked up only while it runs. */
  private RehearsalObservations rehearsal(
      UpgradeProgress progress, UpgradeChildren names, Context<MetadataUpgrade> context) {
    if (progress.phase() != UpgradePhase.REHEARSING) {
      return RehearsalObservations.NONE;
    }
    Optional<Job> migration =
        SecondaryResources.find(context, Job.class, names.rehearsalMigration());
    return new RehearsalObservations(
        jobStatus(context, names.rehearsalRestore()),
        migration
            .map(job -> jobStatus(job, JobOutcome.observe(client, job)))
            .orElse(ChildStatus.ABSENT),
        migration.flatMap(UpgradeObserver::ranFor),
        jobStatus(context, names.rehearsalDrop()));
  }

  /** How long a completed Job ran, from its start to its completion. */
  static Optional<Duration> ranFor(Job job) {
    var status = job.getStatus();
    if (status == null || status.getStartTime() == null || status.getCompletionTime() == null) {
      return Optional.empty();
    }
    return Optional.of(
        Duration.between(
            Instant.parse(status.getStartTime()), Instant.parse(status.getCompletionTime())));
  }

  private ChildStatus jobStatus(Context<MetadataUpgrade> context, String name) {
    return SecondaryResources.find(context, Job.class, name)
        .map(job -> jobStatus(job, JobOutcome.observe(client, job)))
        .orElse(ChildStatus.ABSENT);
  }

  /** The inspection after the migration: its Job and, once it succeeded, what it read. */
  private MigrationCheck migrationCheck(Job job) {
    JobOutcome outcome = JobOutcome.observe(client, job);
    Optional<Summary> summary =
        outcome instanceof JobOutcome.Succeeded succeeded ? succeeded.summary() : Optional.empty();
    return new MigrationCheck(
        jobStatus(job, outcome),
        summary.map(Summary::schemaVersion),
        summary.map(Summary::unfinishedMigrations).orElse(List.of()));
  }

  /** The database server the inspect Job reached, when its engine reported one. */
  static Optional<DatabaseServer> databaseServer(Summary summary) {
    if (summary.engine() == null || summary.serverVersion() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DatabaseServer(
            summary.engine(),
            summary.serverVersion(),
            Optional.ofNullable(summary.sortBufferSize()),
            Optional.ofNullable(summary.database())));
  }

  /**
   * The search engine's image, read from the API server while validating only: the upgrade looks at
   * it once and never changes it, so an informer of every StatefulSet would cost more.
   */
  private Optional<String> searchImage(SearchSpec search, String namespace) {
    if (search == null) {
      return Optional.empty();
    }
    Optional<PodSpec> pod =
        switch (search.kind) {
          case StatefulSet ->
              Optional.ofNullable(
                      client
                          .apps()
                          .statefulSets()
                          .inNamespace(namespace)
                          .withName(search.name)
                          .get())
                  .map(set -> set.getSpec().getTemplate().getSpec());
          case Deployment ->
              Optional.ofNullable(
                      client
                          .apps()
                          .deployments()
                          .inNamespace(namespace)
                          .withName(search.name)
                          .get())
                  .map(d -> d.getSpec().getTemplate().getSpec());
        };
    return pod.flatMap(p -> searchContainer(p.getContainers(), search.containerName))
        .map(Container::getImage);
  }

  /** The named container, else the one whose image names the engine, else the first. */
  static Optional<Container> searchContainer(List<Container> containers, String name) {
    if (name != null) {
      return containers.stream().filter(c -> name.equals(c.getName())).findFirst();
    }
    return containers.stream()
        .filter(c -> c.getImage() != null && SEARCH_IMAGE.matcher(c.getImage()).find())
        .findFirst()
        .or(() -> containers.stream().findFirst());
  }

  private static final Pattern SEARCH_IMAGE = Pattern.compile("(?i)elasticsearch|opensearch");

  /** The Deployments an upgrade reads: the server's and, when aligned, the ingestion ones. */
  static List<String> deploymentNames(MetadataUpgrade upgrade) {
    MetadataUpgradeSpec spec = upgrade.getSpec();
    List<String> names = new ArrayList<>(List.of(spec.server.deploymentName));
    UpgradeSpecs.ingestionDeployments(spec).forEach(d -> names.add(d.name));
    return names;
  }

  private Optional<ServerDeployment> server(
      MetadataUpgrade upgrade, Context<MetadataUpgrade> context) {
    var reference = upgrade.getSpec().server;
    Optional<Deployment> deployment =
        SecondaryResources.find(context, Deployment.class, reference.deploymentName);
    return deployment.flatMap(
        d ->
            ServerContainers.find(d, reference.containerName)
                .map(container -> server(d, container.getImage())));
  }

  private ServerDeployment server(Deployment deployment, String image) {
    boolean gateRefusesPods = DeploymentRollout.gateRefusesPods(deployment);
    return new ServerDeployment(
        image,
        DeploymentRollout.replicas(deployment),
        pods(deployment, gateRefusesPods),
        DeploymentRollout.of(deployment),
        ServerContainers.migratesWithForce(deployment),
        Managers.of(deployment),
        gateRefusesPods);
  }

  /**
   * Pods are not cached (an informer of every pod in the watched namespaces costs more than it
   * saves): they are listed only while a server being stopped may still have some, terminating ones
   * included, which the Deployment's own count leaves out.
   */
  private int pods(Deployment deployment, boolean gateRefusesPods) {
    if (DeploymentRollout.replicas(deployment) > 0 && !gateRefusesPods) {
      Integer counted =
          deployment.getStatus() == null ? null : deployment.getStatus().getReplicas();
      return counted == null ? 0 : counted;
    }
    return scaler.remainingPods(deployment);
  }

  private static List<IngestionWorkload> ingestion(
      MetadataUpgrade upgrade, Context<MetadataUpgrade> context) {
    return UpgradeSpecs.ingestionDeployments(upgrade.getSpec()).stream()
        .map(
            d ->
                new IngestionWorkload(
                    d.name,
                    SecondaryResources.find(context, Deployment.class, d.name)
                        .flatMap(deployment -> ingestionContainer(deployment, d.containerName))
                        .map(Container::getImage)))
        .toList();
  }

  /** The named container of the ingestion Deployment, else its first. */
  static Optional<Container> ingestionContainer(Deployment deployment, String name) {
    var containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    return name == null
        ? containers.stream().findFirst()
        : containers.stream().filter(c -> name.equals(c.getName())).findFirst();
  }

  /**
   * Another unfinished upgrade of the same server Deployment. Of two that validate at the same
   * time, the older one goes ahead.
   */
  private Optional<String> conflictingUpgrade(
      MetadataUpgrade upgrade, Context<MetadataUpgrade> context) {
    String server = upgrade.getSpec().server.deploymentName;
    Comparator<MetadataUpgrade> age =
        Comparator.comparing((MetadataUpgrade u) -> u.getMetadata().getCreationTimestamp())
            .thenComparing(u -> u.getMetadata().getName());
    return context
        .getPrimaryCache()
        .list(upgrade.getMetadata().getNamespace())
        .filter(other -> !other.getMetadata().getName().equals(upgrade.getMetadata().getName()))
        .filter(other -> server.equals(other.getSpec().server.deploymentName))
        .filter(
            other -> {
              UpgradePhase phase =
                  UpgradeStatuses.phase(other.getStatus() == null ? null : other.getStatus().phase);
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
    if (status.phase == BackupPhase.Failed || Conditions.isTrue(status, ConditionTypes.STALLED)) {
      return ChildStatus.failed(name, Objects.requireNonNullElse(status.message, "failed"));
    }
    return ChildStatus.running(name);
  }
}
