package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/** Settings of the Job that runs the backup engine. */
public class JobOptions {

  @JsonPropertyDescription("Engine image. Default: the operator's own image.")
  public String image;

  @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never.")
  public ImagePullPolicy imagePullPolicy;

  @JsonPropertyDescription("Pull secrets for the engine image.")
  public List<LocalObjectReference> imagePullSecrets;

  @JsonPropertyDescription(
      "CPU and memory for the engine container. Default: requests cpu 500m and memory 1Gi, limits"
          + " memory 1Gi (the engine's heap is half of its memory limit).")
  public ResourceRequirements resources;

  @Min(0)
  @Default("1")
  @JsonPropertyDescription("Retries before the Job is marked failed. Default: 1.")
  public int backoffLimit = 1;

  @Min(1)
  @Default("7200")
  @JsonPropertyDescription("Time limit of the whole Job, in seconds. Default: 7200.")
  public long activeDeadlineSeconds = 7200;

  @Min(0)
  @Default("86400")
  @JsonPropertyDescription(
      "Seconds a finished Job is kept before Kubernetes deletes it. The result stays in the"
          + " status. Default: 86400.")
  public int ttlSecondsAfterFinished = 86400;

  @JsonPropertyDescription("Service account of the Job pod. Default: the namespace default.")
  public String serviceAccountName;

  @JsonPropertyDescription("Node selector of the Job pod.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription(
      "Extra labels of the Job pod (for example to opt out of a service mesh, whose sidecar would"
          + " keep the Job from completing).")
  public Map<String, String> podLabels;

  @JsonPropertyDescription(
      "Extra annotations of the Job pod (for example `sidecar.istio.io/inject: \"false\"`).")
  public Map<String, String> podAnnotations;

  /** Kubernetes image pull policies. */
  public enum ImagePullPolicy {
    Always,
    IfNotPresent,
    Never
  }
}
