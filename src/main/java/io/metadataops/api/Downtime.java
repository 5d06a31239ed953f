package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How long the OpenMetadata server was down: from the start of ScalingDown until the version
 * endpoint reported the target version (or, after a rollback, the previous one again).
 */
public class Downtime {

  @JsonPropertyDescription("When the server was scaled down (RFC 3339).")
  public String startedAt;

  @JsonPropertyDescription("When the server answered with a verified version again (RFC 3339).")
  public String endedAt;

  @JsonPropertyDescription(
      "Seconds from startedAt to endedAt; the steps inside the window are in status.steps.")
  public Long seconds;
}
