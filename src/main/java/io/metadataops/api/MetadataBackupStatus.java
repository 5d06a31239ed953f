package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.metadataops.api.shared.ConditionedStatus;

public class MetadataBackupStatus extends ConditionedStatus {

  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  public BackupPhase phase;

  @JsonPropertyDescription("The database backed up, as `engine://host:port/name`.")
  public String database;

  @JsonPropertyDescription("Name of the Job running the backup.")
  public String jobName;

  @JsonPropertyDescription("When the Job started (RFC 3339).")
  public String startTime;

  @JsonPropertyDescription("When the backup finished (RFC 3339).")
  public String completionTime;

  @JsonPropertyDescription("Where the dump is: a path on the volume or an s3:// URL.")
  public String location;

  @JsonPropertyDescription("Where the manifest (tables, rows, checksums) is.")
  public String manifestLocation;

  @JsonPropertyDescription("Size of the dump in bytes.")
  public Long sizeBytes;

  @JsonPropertyDescription("Size of the dump, human-readable.")
  public String size;

  @JsonPropertyDescription("SHA-256 of the dump file.")
  public String sha256;

  @JsonPropertyDescription("Number of tables in the dump.")
  public Integer tables;

  @JsonPropertyDescription("Number of rows in the dump.")
  public Long rows;

  @JsonPropertyDescription(
      "OpenMetadata schema version found in SERVER_CHANGE_LOG. A restore needs a server of this"
          + " version.")
  public String schemaVersion;

  @JsonPropertyDescription("Database server version.")
  public String serverVersion;

  @JsonPropertyDescription("Duration of the backup in seconds.")
  public Double durationSeconds;

  @JsonPropertyDescription("Why the backup failed.")
  public String error;
}
