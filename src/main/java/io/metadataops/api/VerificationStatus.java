package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the verification by restore of a backup did. */
public class VerificationStatus {

  @JsonPropertyDescription("Name of the verification Job.")
  public String jobName;

  @JsonPropertyDescription("The scratch database the dump was restored into.")
  public String scratchDatabase;

  @JsonPropertyDescription("When the verification Job was created (RFC 3339).")
  public String startTime;

  @JsonPropertyDescription("When it finished (RFC 3339).")
  public String completionTime;

  @JsonPropertyDescription("How long the restore and the comparison took, in seconds.")
  public Double durationSeconds;
}
