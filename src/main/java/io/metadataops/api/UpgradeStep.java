package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The record of one step, written before and after it acts so a restart resumes exactly. */
public class UpgradeStep {

  @JsonPropertyDescription(
      "Step name: the phase (Validating, AwaitingApproval, ScalingDown, BackingUp, Migrating,"
          + " RollingOut, Verifying, Reindexing), or RollingBack/<rollback step>.")
  public String name;

  @JsonPropertyDescription("When the step started (RFC 3339).")
  public String startedAt;

  @JsonPropertyDescription("When the step finished (RFC 3339).")
  public String completedAt;

  @JsonPropertyDescription("How long the step took, in seconds, once finished.")
  public Long durationSeconds;

  @JsonPropertyDescription("Succeeded or Failed once finished.")
  public String outcome;

  @JsonPropertyDescription("What happened.")
  public String message;
}
