package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The OpenMetadata server Deployment whose database settings (DB_* env) are used. */
public class ServerReference {

  @Required
  @Pattern(Names.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription(
      "Name of the OpenMetadata server Deployment in this namespace (the Helm chart names it"
          + " `openmetadata`).")
  public String deploymentName;

  @JsonPropertyDescription(
      "Name of the server container in that Deployment. Default: the container named"
          + " `openmetadata`, else the first container.")
  public String containerName;

  public ServerReference() {}

  public ServerReference(String deploymentName) {
    this.deploymentName = deploymentName;
  }
}
