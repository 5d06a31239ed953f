package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Job that migrates the database: the TARGET server image with the server pod's own
 * environment, volumes, service account, security settings and scheduling, so it reaches the
 * database exactly as the server does. One attempt only: a failed migration is rolled back, never
 * retried blindly.
 *
 * <p>A pod of the official chart migrates in its init container {@code run-db-migrations}: the Job
 * then runs that container (its command, environment and mounts) with the target image, after the
 * init containers that come before it (the chart's {@code preMigrateInitContainers}), and never
 * with {@code --force}. The pod's other containers (a Cloud SQL proxy, a Vault agent) come along as
 * native sidecars, so the server reaches its database the same way and the Job still completes.
 *
 * <p>The Job that rebuilds the search indexes ({@link Task#REINDEX}) has the same shape, with the
 * server container's settings (its search engine's among them) rather than the init container's.
 *
 * @param server the server Deployment whose pod template is copied
 * @param container the server container in that template
 * @param resources overrides the server container's resources when not null
 */
public record MigrationJob(
    String name,
    HasMetadata owner,
    Deployment server,
    Container container,
    String image,
    List<String> command,
    String workingDir,
    Duration timeout,
    ResourceRequirements resources,
    Map<String, String> podLabels,
    Map<String, String> podAnnotations,
    Task task) {

  /** What the Job runs. */
  public enum Task {
    MIGRATE,
    REINDEX;

    /** The Job's component label. */
    public String component() {
      return this == MIGRATE ? "migration" : "reindex";
    }

    /** The container's name. */
    public String container() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Kept long after it finishes: its logs are what a person reads after a failed upgrade. */
  public static final int TTL_SECONDS_AFTER_FINISHED = (int) Duration.ofDays(7).toSeconds();

  public Job build() {
    PodSpec template = server.getSpec().getTemplate().getSpec();
    Optional<Container> chartMigration =
        task == Task.MIGRATE ? ServerContainers.migrationInitContainer(server) : Optional.empty();
    Container source = chartMigration.orElse(container);
    Run run =
        chartMigration.isPresent() && runsOpsScript(command)
            ? new Run(
                withoutForce(source.getCommand()),
                withoutForce(source.getArgs()),
                source.getWorkingDir())
            : new Run(command, null, workingDir);
    Map<String, String> labels = EngineJob.labels(task.component(), owner);
    Map<String, String> allPodLabels = new LinkedHashMap<>();
    if (podLabels != null) {
      allPodLabels.putAll(podLabels);
    }
    allPodLabels.putAll(labels);
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(EngineJob.ownerReference(owner))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(timeout.toSeconds())
        .withTtlSecondsAfterFinished(TTL_SECONDS_AFTER_FINISHED)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(allPodLabels)
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(template.getServiceAccountName())
        .withAutomountServiceAccountToken(template.getAutomountServiceAccountToken())
        .withImagePullSecrets(template.getImagePullSecrets())
        .withSecurityContext(template.getSecurityContext())
        .withNodeSelector(template.getNodeSelector())
        .withTolerations(template.getTolerations())
        .withAffinity(template.getAffinity())
        .withTopologySpreadConstraints(template.getTopologySpreadConstraints())
        .withPriorityClassName(template.getPriorityClassName())
        .withHostAliases(template.getHostAliases())
        .withDnsConfig(template.getDnsConfig())
        .withVolumes(template.getVolumes())
        .withInitContainers(initContainers(template))
        .addNewContainer()
        .withName(task.container())
        .withImage(image)
        .withImagePullPolicy(source.getImagePullPolicy())
        .withCommand(run.command())
        .withArgs(run.args())
        .withWorkingDir(run.workingDir())
        .withEnv(source.getEnv())
        .withEnvFrom(source.getEnvFrom())
        .withVolumeMounts(source.getVolumeMounts())
        .withResources(resources != null ? resources : source.getResources())
        .withSecurityContext(source.getSecurityContext())
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The Job as {@link #build} makes it, migrating {@code database} on the same server instead of
   * the server's own (an upgrade's rehearsal on a scratch copy): only the database setting differs.
   */
  public Job buildOnDatabase(String database) {
    Job job = build();
    Container migrate = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    migrate.setEnv(withDatabase(migrate.getEnv(), database));
    return job;
  }

  /**
   * {@code env} with {@link DatabaseEnv#DATABASE} set to {@code database}: replaced where it is
   * declared, else declared first, so it wins over any envFrom and every later {@code
   * $(OM_DATABASE)} reference sees it.
   */
  static List<EnvVar> withDatabase(List<EnvVar> env, String database) {
    EnvVar override =
        new EnvVarBuilder().withName(DatabaseEnv.DATABASE).withValue(database).build();
    List<EnvVar> result = new ArrayList<>();
    boolean declared = false;
    for (EnvVar var : env == null ? List.<EnvVar>of() : env) {
      if (!var.getName().equals(DatabaseEnv.DATABASE)) {
        result.add(var);
      } else if (!declared) {
        result.add(override);
        declared = true;
      }
    }
    if (!declared) {
      result.add(0, override);
    }
    return result;
  }

  /** What the migration container runs. */
  private record Run(List<String> command, List<String> args, String workingDir) {}

  /**
   * Native sidecars first (every container of the server pod but the server), so they run while the
   * rest does; then, for a migration, the init containers the chart runs before its migration.
   */
  private List<Container> initContainers(PodSpec template) {
    List<Container> init = new ArrayList<>(ServerPod.of(server, container).sidecars());
    if (task != Task.MIGRATE) {
      return init;
    }
    for (Container before : Optional.ofNullable(template.getInitContainers()).orElse(List.of())) {
      if (before.getName().equals(ServerContainers.MIGRATION_INIT_CONTAINER)) {
        break;
      }
      init.add(before);
    }
    return init;
  }

  /**
   * The planned command is the default one of releases that migrate with {@code
   * openmetadata-ops.sh}; the chart's init container then says how this installation runs it.
   */
  private static boolean runsOpsScript(List<String> planned) {
    return planned.stream().anyMatch(word -> word.endsWith("openmetadata-ops.sh"));
  }

  /** {@code --force} re-runs every migration and swallows their errors: never in this Job. */
  static List<String> withoutForce(List<String> parts) {
    if (parts == null) {
      return null;
    }
    return parts.stream()
        .filter(part -> !part.equals(ServerContainers.FORCE))
        .map(part -> part.replaceAll("(^|\\s)--force(?=\\s|$)", ""))
        .toList();
  }
}
