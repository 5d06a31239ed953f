package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.metadataops.api.shared.ConditionedStatus;

public class MetadataRestoreStatus extends ConditionedStatus {

  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  public BackupPhase phase;

  @JsonPropertyDescription("The target database, as `engine://host:port/name`.")
  public String database;

  @JsonPropertyDescription("Where the restored dump is.")
  public String location;

  @JsonPropertyDescription("Name of the Job running the restore.")
  public String jobName;

  @JsonPropertyDescription(
      "Replica count of the server Deployment before it was scaled to zero; restored afterwards.")
  public Integer serverReplicas;

  @JsonPropertyDescription("When the Job started (RFC 3339).")
  public String startTime;

  @JsonPropertyDescription("When the restore finished (RFC 3339).")
  public String completionTime;

  @JsonPropertyDescription("OpenMetadata schema version of the restored data.")
  public String schemaVersion;

  @JsonPropertyDescription("Number of tables restored.")
  public Integer tables;

  @JsonPropertyDescription("Number of rows restored.")
  public Long rows;

  @JsonPropertyDescription("Why the restore failed.")
  public String error;
}
