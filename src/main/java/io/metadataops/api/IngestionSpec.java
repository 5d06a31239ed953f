package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.metadataops.api.shared.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingestion side whose image follows the server's version: ingestion Deployments (one, or the
 * Airflow 3 components: api-server, dag-processor, triggerer, scheduler), all set to one image, and
 * the Kubernetes orchestrator's image, which lives in a Secret only a person may edit.
 */
public class IngestionSpec {

  /** The form of the default ingestion tag. */
  public enum TagForm {
    Auto,
    FourPart
  }

  @Pattern(Names.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription(
      "Name of an ingestion Deployment in this namespace (the single Deployment of older"
          + " installations; list Airflow 3's components in `deployments`).")
  public String deploymentName;

  @JsonPropertyDescription(
      "Container to update in each Deployment that names none. Default: the first container.")
  public String containerName;

  @JsonPropertyDescription(
      "More ingestion Deployments, aligned together with `deploymentName`: with Airflow 3 the"
          + " api-server, dag-processor, triggerer and scheduler. They must run one image"
          + " before the upgrade.")
  public List<IngestionDeployment> deployments = new ArrayList<>();

  @JsonPropertyDescription(
      "Full target ingestion image, e.g. a hotfix build `.../ingestion:2.0.7.2`. Default: the"
          + " current repository with the tag `tagForm` gives.")
  public String image;

  @Default("Auto")
  @JsonPropertyDescription(
      "Auto: the target's three-part tag (e.g. 2.0.7), which the registry moves to the newest"
          + " hotfix build of the release (2.0.7.2); FourPart: `<target>.0`, the release's first"
          + " build, which misses its hotfixes (from 1.5 on).")
  public TagForm tagForm = TagForm.Auto;

  @Pattern(Names.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription(
      "With the Kubernetes orchestrator (pipelineServiceClientConfig type k8s), the Secret that"
          + " holds K8S_INGESTION_IMAGE (the chart's `<release>-pipeline-secret`). The operator"
          + " edits no Secret: the upgrade lists setting it in status.requiredActions.")
  public String orchestratorSecret;
}
