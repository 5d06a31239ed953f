package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.metadataops.api.shared.ConditionedStatus;

/** Status of a resource carried out by one engine Job (a backup or a restore). */
public abstract class JobRunStatus extends ConditionedStatus {

  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  public BackupPhase phase;

  @JsonPropertyDescription("The database, as `engine://host:port/name` (never with credentials).")
  public String database;

  @JsonPropertyDescription("Where the dump is: a path on the volume or an s3:// URL.")
  public String location;

  @JsonPropertyDescription("Name of the Job.")
  public String jobName;

  @JsonPropertyDescription("When the Job was created (RFC 3339).")
  public String startTime;

  @JsonPropertyDescription("When the Job finished (RFC 3339).")
  public String completionTime;

  @JsonPropertyDescription("OpenMetadata schema version of the data (from SERVER_CHANGE_LOG).")
  public String schemaVersion;

  @JsonPropertyDescription("Number of tables.")
  public Integer tables;

  @JsonPropertyDescription("Number of rows.")
  public Long rows;

  @JsonPropertyDescription("Duration of the Job's work in seconds.")
  public Double durationSeconds;

  @JsonPropertyDescription("Why it failed: the engine's error code and message.")
  public String error;

  @JsonIgnore
  public boolean isFinished() {
    return phase == BackupPhase.Succeeded || phase == BackupPhase.Failed;
  }
}
