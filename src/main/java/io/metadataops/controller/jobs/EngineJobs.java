package io.metadataops.controller.jobs;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.Compression;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.api.shared.JobOptions;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.controller.OperatorSettings;
import io.metadataops.controller.Problem;
import io.metadataops.k8s.DatabaseAccess;
import io.metadataops.k8s.EngineJob;
import io.metadataops.k8s.KubernetesNames;
import io.metadataops.k8s.ServerContainers;
import io.metadataops.k8s.ServerPod;
import io.metadataops.k8s.StorageAccess;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Builds the engine Jobs (backup, restore, dump deletion) from resources and the cluster. */
public record EngineJobs(
    KubernetesClient client, ReferenceChecks references, OperatorSettings settings) {

  /**
   * What an engine Job does: its {@code app.kubernetes.io/component} label, and its name suffix.
   */
  enum Component {
    BACKUP,
    DELETE,
    RESTORE,
    INSPECT,
    MIGRATION_CHECK,
    VERIFY,
    DROP_SCRATCH;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** A Job to create, or the problem that prevents it. */
  public record Plan(Job job, String database, String location, Optional<Problem> problem) {

    static Plan refused(Problem problem) {
      return new Plan(null, null, null, Optional.of(problem));
    }
  }

  public static String backupJobName(MetadataBackup backup) {
    return KubernetesNames.child(backup.getMetadata().getName(), Component.BACKUP.label());
  }

  public static String deleteJobName(MetadataBackup backup) {
    return KubernetesNames.child(backup.getMetadata().getName(), Component.DELETE.label());
  }

  /**
   * The dump's file name: the resource name and its creation time, so it is deterministic for a
   * resource and never reused by another.
   */
  static String dumpFileName(MetadataBackup backup) {
    Instant created = Instant.parse(backup.getMetadata().getCreationTimestamp());
    String extension = backup.getSpec().compression == Compression.NONE ? ".sql" : ".sql.gz";
    return backup.getMetadata().getName() + "-" + FILE_TIME.format(created) + extension;
  }

  public Plan backup(MetadataBackup backup) {
    var spec = backup.getSpec();
    return withDatabase(
        backup,
        spec.source,
        "spec.source",
        namespace -> references.checkStorage(spec.storage, namespace, "spec.storage"),
        access -> backup(backup, access));
  }

  private Plan backup(MetadataBackup backup, DatabaseAccess access) {
    var spec = backup.getSpec();
    StorageAccess storage = StorageAccess.of(spec.storage);
    String location = storage.location(dumpFileName(backup));
    List<String> args = new ArrayList<>(List.of("backup", "--output", location));
    args.addAll(List.of("--compress", spec.compression == Compression.NONE ? "none" : "gzip"));
    if (spec.includeTables != null && !spec.includeTables.isEmpty()) {
      args.addAll(List.of("--include", String.join(",", spec.includeTables)));
    }
    if (spec.excludeTables != null && !spec.excludeTables.isEmpty()) {
      args.addAll(List.of("--exclude", String.join(",", spec.excludeTables)));
    }
    return plan(
        backupJobName(backup), Component.BACKUP, backup, args, access, storage, spec.job, location);
  }

  public static String verifyJobName(MetadataBackup backup) {
    return KubernetesNames.child(backup.getMetadata().getName(), Component.VERIFY.label());
  }

  /**
   * The Job that restores the dump of a succeeded {@code backup} into {@code scratchDatabase} on
   * the same server and compares it with the manifest (the engine's {@code verify}).
   */
  public Plan verify(MetadataBackup backup, String scratchDatabase) {
    return verify(verifyJobName(backup), backup, backup, scratchDatabase, false);
  }

  /**
   * The Job {@code name} of {@code owner} that restores the dump of the succeeded {@code backup}
   * into a new {@code scratchDatabase} and keeps it there (an upgrade's rehearsal migrates it).
   */
  public Plan restoreIntoScratch(
      String name, HasMetadata owner, MetadataBackup backup, String scratchDatabase) {
    return verify(name, owner, backup, scratchDatabase, true);
  }

  private Plan verify(
      String name,
      HasMetadata owner,
      MetadataBackup backup,
      String scratchDatabase,
      boolean keepScratch) {
    var spec = backup.getSpec();
    String location = backup.getStatus().location;
    List<String> args =
        new ArrayList<>(
            List.of("verify", "--input", location, "--scratch-database", scratchDatabase));
    if (keepScratch) {
      args.add("--keep-scratch");
    }
    return withDatabase(
        backup,
        spec.source,
        "spec.source",
        namespace -> Optional.empty(),
        access ->
            plan(
                name,
                Component.VERIFY,
                owner,
                args,
                access,
                StorageAccess.of(spec.storage),
                spec.job,
                location));
  }

  public static String restoreJobName(MetadataRestore restore) {
    return KubernetesNames.child(restore.getMetadata().getName(), Component.RESTORE.label());
  }

  /**
   * The restore Job of {@code restore}, reading the dump at {@code location} of {@code storage}.
   * {@code expectedSchemaVersion} (may be null) makes the engine refuse a dump of another version
   * unless the spec allows the mismatch.
   */
  public Plan restore(
      MetadataRestore restore,
      StorageSpec storageSpec,
      String location,
      String expectedSchemaVersion) {
    var spec = restore.getSpec();
    return withDatabase(
        restore,
        spec.target,
        "spec.target",
        namespace -> references.checkStorage(storageSpec, namespace, "storage"),
        access ->
            restore(
                restore, access, StorageAccess.of(storageSpec), location, expectedSchemaVersion));
  }

  private Plan restore(
      MetadataRestore restore,
      DatabaseAccess access,
      StorageAccess storage,
      String location,
      String expectedSchemaVersion) {
    var spec = restore.getSpec();
    List<String> args = new ArrayList<>(List.of("restore", "--input", location));
    if (spec.dropExistingTables) {
      args.add("--drop-existing");
    }
    if (expectedSchemaVersion != null) {
      args.addAll(List.of("--expect-schema-version", expectedSchemaVersion));
      if (spec.allowSchemaVersionMismatch) {
        args.add("--allow-schema-mismatch");
      }
    }
    return plan(
        restoreJobName(restore),
        Component.RESTORE,
        restore,
        args,
        access,
        storage,
        spec.job,
        location);
  }

  /**
   * A read-only Job that reports the database's OpenMetadata schema version ({@code schemaVersion}
   * of the engine summary), with the database settings of {@code source}.
   */
  public Plan inspect(HasMetadata owner, String name, DatabaseSource source, JobOptions options) {
    return databaseOnly(owner, name, Component.INSPECT, source, options, List.of("inspect"));
  }

  /**
   * The inspection that reads the change log after a migration Job exited 0: an {@link #inspect}
   * Job of its own component, so that its pods can be told from the validation's.
   */
  public Plan migrationCheck(
      HasMetadata owner, String name, DatabaseSource source, JobOptions options) {
    return databaseOnly(
        owner, name, Component.MIGRATION_CHECK, source, options, List.of("inspect"));
  }

  /**
   * A Job that drops {@code scratchDatabase} on the database server of {@code source}; the engine
   * refuses to drop the database {@code source} itself names.
   */
  public Plan dropScratch(
      HasMetadata owner,
      String name,
      DatabaseSource source,
      JobOptions options,
      String scratchDatabase) {
    return databaseOnly(
        owner,
        name,
        Component.DROP_SCRATCH,
        source,
        options,
        List.of("drop-scratch", "--scratch-database", scratchDatabase));
  }

  /** An engine Job that needs the database of {@code source} and no storage. */
  private Plan databaseOnly(
      HasMetadata owner,
      String name,
      Component component,
      DatabaseSource source,
      JobOptions options,
      List<String> args) {
    StorageAccess noStorage = new StorageAccess("", List.of(), List.of(), List.of(), List.of());
    return withDatabase(
        owner,
        source,
        "spec",
        namespace -> Optional.empty(),
        access -> plan(name, component, owner, args, access, noStorage, options, null));
  }

  /** A Job that removes a backup's dump and manifest (deletionPolicy Delete). */
  public Job deleteDump(MetadataBackup backup) {
    DatabaseAccess noDatabase =
        new DatabaseAccess(List.of(), List.of(), List.of(), "", List.of(), ServerPod.NONE);
    return plan(
            deleteJobName(backup),
            Component.DELETE,
            backup,
            List.of("delete", "--location", backup.getStatus().location),
            noDatabase,
            StorageAccess.of(backup.getSpec().storage),
            backup.getSpec().job,
            backup.getStatus().location)
        .job();
  }

  /** The Job running the engine with {@code args} and the database's and storage's own. */
  private Plan plan(
      String name,
      Component component,
      HasMetadata owner,
      List<String> args,
      DatabaseAccess database,
      StorageAccess storage,
      JobOptions options,
      String location) {
    List<String> all = new ArrayList<>(args);
    all.addAll(database.args());
    all.addAll(storage.args());
    List<EnvVar> env = new ArrayList<>(database.env());
    env.addAll(storage.env());
    Job job =
        new EngineJob(
                name,
                component.label(),
                owner,
                all,
                env,
                database.envFrom(),
                storage.volumes(),
                storage.mounts(),
                database.serverPod(),
                options == null ? new JobOptions() : options,
                settings.engineImage(),
                settings.jobPodLabels())
            .build();
    return new Plan(job, database.display(), location, Optional.empty());
  }

  /** How a Job reaches the database, or why it cannot. */

  /** The database access of {@code source}, unless a reference is {@code missing} or invalid. */
  /**
   * The plan {@code build} makes with the database access of {@code source} (the field {@code
   * field} of {@code resource}), or a refusal when the source, what {@code otherChecks} checks in
   * the resource's namespace, or the database settings are missing or invalid.
   */
  private Plan withDatabase(
      HasMetadata resource,
      DatabaseSource source,
      String field,
      Function<String, Optional<Problem>> otherChecks,
      Function<DatabaseAccess, Plan> build) {
    String namespace = resource.getMetadata().getNamespace();
    Optional<Problem> missing =
        references.checkSource(source, namespace, field).or(() -> otherChecks.apply(namespace));
    if (missing.isPresent()) {
      return Plan.refused(missing.get());
    }
    DatabaseAccess access = databaseAccess(source, namespace);
    if (!access.problems().isEmpty()) {
      return Plan.refused(
          new Problem("DatabaseSettingsInvalid", String.join("; ", access.problems())));
    }
    return build.apply(access);
  }

  DatabaseAccess databaseAccess(DatabaseSource source, String namespace) {
    if (source.database != null) {
      return DatabaseAccess.ofConnection(source.database);
    }
    Deployment deployment = references.findDeployment(namespace, source.server.deploymentName);
    Container container =
        ServerContainers.find(deployment, source.server.containerName).orElseThrow();
    return DatabaseAccess.ofServer(
        deployment,
        container,
        name -> client.configMaps().inNamespace(namespace).withName(name).get());
  }

  /** The operator-wide Job pod labels (METADATAOPS_JOB_POD_LABELS) overlaid by a resource's own. */
  public Map<String, String> podLabels(Map<String, String> own) {
    Map<String, String> all = new LinkedHashMap<>(settings.jobPodLabels());
    if (own != null) {
      all.putAll(own);
    }
    return all;
  }
}
