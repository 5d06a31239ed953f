package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class MetadataRestoreStatus extends JobRunStatus {

  @JsonPropertyDescription(
      "Replica count of the server Deployment before it was scaled to zero; put back afterwards.")
  public Integer serverReplicas;

  @JsonPropertyDescription("Whether the server Deployment has been given its replicas back.")
  public Boolean serverRestored;
}
