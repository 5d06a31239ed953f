package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Job that migrates the database: the TARGET server image with the server pod's own
 * environment, volumes, service account and security settings, so it reaches the database exactly
 * as the server does. One attempt only: a failed migration is rolled back, never retried blindly.
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
    Map<String, String> podAnnotations) {

  public static final String COMPONENT = "migration";
  public static final String CONTAINER = "migrate";

  /** Kept long after it finishes: its logs are what a person reads after a failed upgrade. */
  public static final int TTL_SECONDS_AFTER_FINISHED = (int) Duration.ofDays(7).toSeconds();

  public Job build() {
    PodSpec template = server.getSpec().getTemplate().getSpec();
    Map<String, String> labels = EngineJob.labels(COMPONENT, owner);
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
        .withVolumes(template.getVolumes())
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy(container.getImagePullPolicy())
        .withCommand(command)
        .withWorkingDir(workingDir)
        .withEnv(container.getEnv())
        .withEnvFrom(container.getEnvFrom())
        .withVolumeMounts(container.getVolumeMounts())
        .withResources(resources != null ? resources : container.getResources())
        .withSecurityContext(container.getSecurityContext())
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
