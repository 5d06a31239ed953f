package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.metadataops.api.shared.Names;

/**
 * The search engine's workload (Elasticsearch or OpenSearch), read once while validating: its image
 * tag is checked against the target's requirements. The operator never changes it.
 */
public class SearchSpec {

  /** The kinds a search engine runs as; the Helm charts of both engines use a StatefulSet. */
  public enum WorkloadKind {
    StatefulSet,
    Deployment
  }

  @Default("StatefulSet")
  @JsonPropertyDescription("StatefulSet (the Elasticsearch and OpenSearch charts) or Deployment.")
  public WorkloadKind kind = WorkloadKind.StatefulSet;

  @Required
  @Pattern(Names.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the workload in this namespace.")
  public String name;

  @JsonPropertyDescription(
      "Container that runs the search engine. Default: the container whose image names"
          + " elasticsearch or opensearch, else the first.")
  public String containerName;
}
