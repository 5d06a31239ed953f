package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.metadataops.api.shared.Names;

/** The ingestion (Airflow) Deployment whose image follows the server's version. */
public class IngestionSpec {

  @Required
  @Pattern(Names.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the ingestion Deployment in this namespace.")
  public String deploymentName;

  @JsonPropertyDescription("Container to update. Default: the first container.")
  public String containerName;

  @JsonPropertyDescription(
      "Full target image. Default: the current repository with the tag matching the target"
          + " version (4-part from 1.5, for example 1.5.2.0).")
  public String image;
}
