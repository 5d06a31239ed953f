package io.metadataops.controller.upgrade;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.metadataops.api.BackupVerification;
import io.metadataops.api.DeletionPolicy;
import io.metadataops.api.IngestionDeployment;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSpec;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataRestoreSpec;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.MigrationSpec;
import io.metadataops.api.PreFlightSpec;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.api.shared.ServerReference;
import io.metadataops.controller.Problem;
import io.metadataops.controller.SecondaryResources;
import io.metadataops.controller.jobs.EngineJobs;
import io.metadataops.k8s.EngineJob;
import io.metadataops.k8s.ImagePatch;
import io.metadataops.k8s.MigrationJob;
import io.metadataops.k8s.MigrationJob.Task;
import io.metadataops.k8s.ServerContainers;
import io.metadataops.k8s.ServerGateConfigMap;
import io.metadataops.k8s.ServerScaler;
import io.metadataops.upgrade.ServerGate;
import io.metadataops.upgrade.UpgradeAction;
import io.metadataops.upgrade.UpgradeAction.CreateRestore;
import io.metadataops.upgrade.UpgradeAction.CreateServerImageJob;
import io.metadataops.upgrade.UpgradeAction.ServerImageJob;
import io.metadataops.upgrade.UpgradeAction.SetImages;
import io.metadataops.upgrade.UpgradeAction.Simple;
import io.metadataops.upgrade.UpgradeProgress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the planner's cluster actions. Each is idempotent: children have deterministic names and
 * a child that already exists (the cache had not seen it yet) counts as created.
 */
public record UpgradeActions(KubernetesClient client, EngineJobs jobs, ServerScaler scaler) {

  /**
   * Sets the server image gate this progress needs (server-side apply: an unchanged gate is no
   * write). Called after the planner's action and before the status says what it did, so no sync
   * that waits on the status can start a pod the gate should refuse.
   */
  public void holdGate(
      MetadataUpgrade upgrade, UpgradeProgress progress, Context<MetadataUpgrade> context) {
    Optional<ServerGate> gate = ServerGate.desired(progress, upgrade.getMetadata().getName());
    Optional<Deployment> server =
        SecondaryResources.find(context, Deployment.class, upgrade.getSpec().server.deploymentName);
    if (gate.isEmpty() || server.isEmpty()) {
      return;
    }
    ConfigMap configMap =
        ServerGateConfigMap.build(
            server.get(), progress.plan().orElseThrow().previousImage(), gate.get());
    client.configMaps().resource(configMap).forceConflicts().serverSideApply();
  }

  /** Applies {@code action}; a problem when it cannot be (the spec or the cluster must change). */
  public Optional<Problem> apply(
      UpgradeAction action,
      MetadataUpgrade upgrade,
      UpgradeProgress progress,
      Context<MetadataUpgrade> context) {
    UpgradeChildren names = UpgradeChildren.of(upgrade, progress.attempt());
    if (action instanceof Simple simple) {
      return apply(simple, upgrade, context, names);
    }
    if (action instanceof CreateServerImageJob job) {
      return serverImageJob(upgrade, context, names, job);
    }
    if (action instanceof SetImages images) {
      setImages(upgrade, context, images);
    } else if (action instanceof CreateRestore restore) {
      SecondaryResources.create(
          client, restore(upgrade, names.restore(), restore.backupName(), progress));
    } else {
      throw new IllegalArgumentException("not a cluster action: " + action);
    }
    return Optional.empty();
  }

  private Optional<Problem> apply(
      Simple action,
      MetadataUpgrade upgrade,
      Context<MetadataUpgrade> context,
      UpgradeChildren names) {
    MetadataUpgradeSpec spec = upgrade.getSpec();
    String namespace = upgrade.getMetadata().getNamespace();
    switch (action) {
      case CREATE_INSPECTION -> {
        return created(
            jobs.inspect(upgrade, names.inspection(), serverSource(spec), spec.backup.job));
      }
      case CREATE_MIGRATION_CHECK -> {
        return created(
            jobs.migrationCheck(
                upgrade, names.migrationCheck(), serverSource(spec), spec.backup.job));
      }
      case CREATE_REHEARSAL_RESTORE -> {
        return rehearsalRestore(upgrade, context, names);
      }
      case DROP_REHEARSAL_SCRATCH -> {
        return created(
            jobs.dropScratch(
                upgrade,
                names.rehearsalDrop(),
                serverSource(spec),
                spec.backup.job,
                UpgradeSpecs.rehearsalScratch(upgrade)));
      }
      case CREATE_PRE_FLIGHT_BACKUP ->
          SecondaryResources.create(client, preFlightBackup(upgrade, names.preFlight()));
      case CREATE_BACKUP -> SecondaryResources.create(client, backup(upgrade, names.backup()));
      case SCALE_DOWN -> scaler.scale(namespace, spec.server.deploymentName, 0);
      case DELETE_MIGRATION_JOB -> deleteForeground(namespace, names.migration());
    }
    return Optional.empty();
  }

  /** Deletes the Job {@code name} so that it is observable (running) until its pod is gone. */
  private void deleteForeground(String namespace, String name) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(name)
        .withPropagationPolicy(DeletionPropagation.FOREGROUND)
        .delete();
  }

  /** Creates the Job of {@code plan}, unless the plan is refused with a problem. */
  private Optional<Problem> created(EngineJobs.Plan plan) {
    if (plan.problem().isEmpty()) {
      SecondaryResources.create(client, plan.job());
    }
    return plan.problem();
  }

  /** The rehearsal restores the dump of this attempt's pre-flight backup into its scratch. */
  private Optional<Problem> rehearsalRestore(
      MetadataUpgrade upgrade, Context<MetadataUpgrade> context, UpgradeChildren names) {
    Optional<MetadataBackup> preFlight =
        SecondaryResources.find(context, MetadataBackup.class, names.preFlight());
    if (preFlight.isEmpty() || preFlight.get().getStatus() == null) {
      return Optional.of(
          new Problem(
              "PreFlightBackupNotFound",
              "the pre-flight backup %s is gone: the rehearsal restores its dump"
                  .formatted(names.preFlight())));
    }
    return created(
        jobs.restoreIntoScratch(
            names.rehearsalRestore(),
            upgrade,
            preFlight.get(),
            UpgradeSpecs.rehearsalScratch(upgrade)));
  }

  /**
   * A Job of the server image in the server pod's shape: the migration (on the scratch database
   * instead of the server's for a rehearsal), or the reindex.
   */
  private Optional<Problem> serverImageJob(
      MetadataUpgrade upgrade,
      Context<MetadataUpgrade> context,
      UpgradeChildren names,
      CreateServerImageJob action) {
    Task task = action.job() == ServerImageJob.REINDEX ? Task.REINDEX : Task.MIGRATE;
    MetadataUpgradeSpec spec = upgrade.getSpec();
    Optional<Deployment> server = deployment(context, spec.server.deploymentName);
    Optional<Container> container =
        server.flatMap(d -> ServerContainers.find(d, spec.server.containerName));
    if (container.isEmpty()) {
      return Optional.of(
          new Problem(
              "ServerNotFound",
              "the server Deployment %s or its container is gone: the %s Job copies its pod"
                  .formatted(spec.server.deploymentName, task.component())));
    }
    MigrationSpec migration = UpgradeSpecs.migration(spec);
    MigrationJob job =
        new MigrationJob(
            names.serverImageJob(action.job()),
            upgrade,
            server.get(),
            container.get(),
            action.image(),
            action.command().command(),
            action.command().workingDir(),
            Duration.ofSeconds(migration.timeoutSeconds),
            migration.resources,
            jobs.podLabels(migration.podLabels),
            migration.podAnnotations,
            task);
    SecondaryResources.create(
        client,
        action.job() == ServerImageJob.REHEARSAL
            ? job.buildOnDatabase(UpgradeSpecs.rehearsalScratch(upgrade))
            : job.build());
    return Optional.empty();
  }

  /**
   * Server image and replicas in one patch (one rollout), then the ingestion image of every aligned
   * Deployment.
   */
  private void setImages(
      MetadataUpgrade upgrade, Context<MetadataUpgrade> context, SetImages images) {
    MetadataUpgradeSpec spec = upgrade.getSpec();
    Deployment server = deployment(context, spec.server.deploymentName).orElseThrow();
    Container container = ServerContainers.find(server, spec.server.containerName).orElseThrow();
    patch(
        upgrade,
        spec.server.deploymentName,
        ImagePatch.server(server, container, images.serverImage()).withReplicas(images.replicas()));
    if (images.ingestionImage().isEmpty()) {
      return;
    }
    for (IngestionDeployment ingestion : UpgradeSpecs.ingestionDeployments(spec)) {
      deployment(context, ingestion.name)
          .flatMap(d -> UpgradeObserver.ingestionContainer(d, ingestion.containerName))
          .ifPresent(
              c ->
                  patch(
                      upgrade,
                      ingestion.name,
                      ImagePatch.of(c.getName(), images.ingestionImage().get())));
    }
  }

  private void patch(MetadataUpgrade upgrade, String deployment, ImagePatch patch) {
    client
        .apps()
        .deployments()
        .inNamespace(upgrade.getMetadata().getNamespace())
        .withName(deployment)
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch.json());
  }

  /**
   * The pre-flight backup: the same storage and Job settings as the backup, verified by restore,
   * and deleted with its dump once the upgrade is deleted: it only proves that the backup works.
   */
  private MetadataBackup preFlightBackup(MetadataUpgrade upgrade, String name) {
    MetadataBackup backup = backup(upgrade, name);
    PreFlightSpec preFlight = UpgradeSpecs.preFlight(upgrade.getSpec());
    backup.getSpec().deletionPolicy = DeletionPolicy.Delete;
    backup.getSpec().verify = new BackupVerification();
    backup.getSpec().verify.enabled = true;
    backup.getSpec().verify.scratchDatabase = preFlight.scratchDatabase;
    return backup;
  }

  private MetadataBackup backup(MetadataUpgrade upgrade, String name) {
    var settings = upgrade.getSpec().backup;
    MetadataBackup backup =
        SecondaryResources.stamp(new MetadataBackup(), upgrade, name, labels(upgrade));
    MetadataBackupSpec spec = new MetadataBackupSpec();
    spec.source = serverSource(upgrade.getSpec());
    spec.storage = settings.storage;
    spec.compression = settings.compression;
    spec.deletionPolicy = settings.deletionPolicy;
    spec.job = settings.job;
    backup.setSpec(spec);
    return backup;
  }

  /**
   * The restore of a rollback: drops the half-migrated tables, expects the schema version the
   * upgrade started from, and leaves the scaling to the upgrade.
   */
  private MetadataRestore restore(
      MetadataUpgrade upgrade, String name, String backupName, UpgradeProgress progress) {
    MetadataRestore restore =
        SecondaryResources.stamp(new MetadataRestore(), upgrade, name, labels(upgrade));
    MetadataRestoreSpec spec = new MetadataRestoreSpec();
    spec.backupName = backupName;
    spec.target = serverSource(upgrade.getSpec());
    spec.dropExistingTables = true;
    spec.scaleDownServer = false;
    spec.expectedSchemaVersion = progress.plan().map(plan -> plan.from().toString()).orElse(null);
    spec.job = upgrade.getSpec().backup.job;
    restore.setSpec(spec);
    return restore;
  }

  private static Map<String, String> labels(MetadataUpgrade upgrade) {
    return Map.of(EngineJob.LABEL_OWNER, upgrade.getMetadata().getName());
  }

  private static DatabaseSource serverSource(MetadataUpgradeSpec spec) {
    DatabaseSource source = new DatabaseSource();
    source.server = new ServerReference(spec.server.deploymentName);
    source.server.containerName = spec.server.containerName;
    return source;
  }

  private static Optional<Deployment> deployment(Context<MetadataUpgrade> context, String name) {
    return SecondaryResources.find(context, Deployment.class, name);
  }
}
