package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.metadataops.api.shared.JobOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Job running one subcommand of the engine (the operator's own image). Every engine Job is built
 * here, so they all share the restricted pod security, the result channel (termination message) and
 * the labels that select them.
 */
public record EngineJob(
    String name,
    String component,
    HasMetadata owner,
    List<String> args,
    List<EnvVar> env,
    List<EnvFromSource> envFrom,
    List<Volume> volumes,
    List<VolumeMount> volumeMounts,
    ServerPod serverPod,
    JobOptions options,
    String defaultImage,
    Map<String, String> defaultPodLabels) {

  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_OWNER = "metadataops.io/owner";
  public static final String LABEL_OWNER_KIND = "metadataops.io/owner-kind";
  public static final String NAME = "metadata-operator";
  public static final String CONTAINER = "engine";
  public static final String RESULT_FILE = "/dev/termination-log";

  /**
   * The uid of the engine image's user (the Quarkus/UBI default), which also owns written dumps.
   */
  public static final long ENGINE_UID = 185;

  /**
   * The engine's JVM options (run-java.sh takes JAVA_OPTS as given). The image's own are the
   * operator's, tuned to start fast in little memory with the simple compiler only; the engine
   * streams, parses and hashes gigabytes, so it gets the optimizing compiler and half the
   * container's memory. No -XX:+ExitOnOutOfMemoryError: the engine turns a row too big for its heap
   * into a result that names the table, the column and the heap needed (exit 34); the flag would
   * end the JVM first and leave the Job without a result.
   */
  public static final String DEFAULT_MEMORY = "1Gi";

  public static final String ENGINE_JAVA_OPTS = "-XX:+UseSerialGC -XX:MaxRAMPercentage=50 -Xss512k";

  /**
   * What an engine container gets unless {@code job.resources} says otherwise: memory it can plan
   * for (requested and limited alike, so the heap, half of it, is the same on every node and no
   * other pod can take it away), and a CPU request without a limit (a throttled dump holds its
   * snapshot longer).
   */
  public static ResourceRequirements defaultResources() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("500m"))
        .addToRequests("memory", new Quantity(DEFAULT_MEMORY))
        .addToLimits("memory", new Quantity(DEFAULT_MEMORY))
        .build();
  }

  public Job build() {
    Map<String, String> labels = labels(component, owner);
    List<String> fullArgs = new ArrayList<>(args);
    fullArgs.add("--result-file");
    fullArgs.add(RESULT_FILE);
    List<Volume> allVolumes = new ArrayList<>(volumes);
    allVolumes.addAll(serverPod.sidecarVolumes());
    allVolumes.add(
        new VolumeBuilder().withName("tmp").withEmptyDir(new EmptyDirVolumeSource()).build());
    List<EnvVar> allEnv = new ArrayList<>(env);
    allEnv.add(new EnvVar("JAVA_OPTS", ENGINE_JAVA_OPTS, null));
    List<VolumeMount> allMounts = new ArrayList<>(volumeMounts);
    allMounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(ownerReference(owner))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(options.backoffLimit)
        .withActiveDeadlineSeconds(options.activeDeadlineSeconds)
        .withTtlSecondsAfterFinished(options.ttlSecondsAfterFinished)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels(labels))
        .withAnnotations(options.podAnnotations)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(options.serviceAccountName)
        .withImagePullSecrets(serverPod.pullSecretsWith(options.imagePullSecrets))
        .withNodeSelector(
            Optional.ofNullable(options.nodeSelector).orElse(serverPod.nodeSelector()))
        .withAffinity(serverPod.affinity())
        .withTolerations(serverPod.tolerations())
        .withInitContainers(serverPod.sidecars())
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(
            new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(ENGINE_UID)
                .withRunAsGroup(ENGINE_UID)
                .withFsGroup(ENGINE_UID)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build())
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(Optional.ofNullable(options.image).orElse(defaultImage))
        .withImagePullPolicy(
            options.imagePullPolicy == null ? null : options.imagePullPolicy.name())
        .withArgs(fullArgs)
        .withEnv(allEnv)
        .withEnvFrom(envFrom)
        .withResources(
            Optional.ofNullable(options.resources).orElseGet(EngineJob::defaultResources))
        .withVolumeMounts(allMounts)
        .withTerminationMessagePath(RESULT_FILE)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(
            new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .build())
        .endContainer()
        .withVolumes(allVolumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * Operator-wide labels, then the resource's own, then the operator's selection labels, so the
   * selection labels always win.
   */
  private Map<String, String> podLabels(Map<String, String> selection) {
    Map<String, String> all = new LinkedHashMap<>();
    if (defaultPodLabels != null) {
      all.putAll(defaultPodLabels);
    }
    if (options.podLabels != null) {
      all.putAll(options.podLabels);
    }
    all.putAll(selection);
    return all;
  }

  /**
   * The labels of every Job and pod of one owner and component; selectors use them, and the owner's
   * kind lets each controller watch only its own Jobs.
   */
  public static Map<String, String> labels(String component, HasMetadata owner) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, NAME);
    labels.put(LABEL_COMPONENT, component);
    labels.put(LABEL_MANAGED_BY, NAME);
    labels.put(LABEL_OWNER, owner.getMetadata().getName());
    labels.put(LABEL_OWNER_KIND, owner.getKind());
    return labels;
  }

  /** Selects the Jobs this operator made for owners of one kind. */
  public static String selectorForOwnerKind(Class<? extends HasMetadata> ownerType) {
    return LABEL_MANAGED_BY
        + "="
        + NAME
        + ","
        + LABEL_OWNER_KIND
        + "="
        + HasMetadata.getKind(ownerType);
  }

  public static OwnerReference ownerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
