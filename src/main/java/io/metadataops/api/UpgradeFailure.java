package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The first failure of an upgrade, kept through the rollback. */
public class UpgradeFailure {

  @JsonPropertyDescription("Phase that failed.")
  public String step;

  @JsonPropertyDescription("Machine-readable reason, for example MigrationFailed.")
  public String reason;

  @JsonPropertyDescription("What failed and why.")
  public String message;

  @JsonPropertyDescription("When it failed (RFC 3339).")
  public String time;
}
