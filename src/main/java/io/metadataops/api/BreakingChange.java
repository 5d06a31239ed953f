package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One breaking change crossed by an upgrade, as listed in the shipped catalogue. */
public class BreakingChange {

  @JsonPropertyDescription("Stable id, the value to put in spec.approvedChanges.")
  public String id;

  @JsonPropertyDescription("The minor version that introduced it.")
  public String version;

  @JsonPropertyDescription("What changes.")
  public String summary;

  @JsonPropertyDescription("What the platform team must do.")
  public String action;

  @JsonPropertyDescription("Whether the upgrade waits for this id in spec.approvedChanges.")
  public boolean requiresApproval;

  @JsonPropertyDescription("Whether spec.approvedChanges names it.")
  public boolean approved;
}
