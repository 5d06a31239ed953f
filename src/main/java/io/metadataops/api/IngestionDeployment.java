package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.metadataops.api.shared.Names;

/** One ingestion Deployment, e.g. an Airflow 3 component (api-server, scheduler, ...). */
public class IngestionDeployment {

  @Required
  @Pattern(Names.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Deployment in this namespace.")
  public String name;

  @JsonPropertyDescription(
      "Container to update. Default: spec.ingestion.containerName, else the first container.")
  public String containerName;
}
