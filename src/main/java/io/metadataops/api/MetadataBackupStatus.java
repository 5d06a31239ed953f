package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class MetadataBackupStatus extends JobRunStatus {

  @JsonPropertyDescription("Where the manifest (tables, rows, checksums) is.")
  public String manifestLocation;

  @JsonPropertyDescription("Size of the dump in bytes.")
  public Long sizeBytes;

  @JsonPropertyDescription("Size of the dump, human-readable.")
  public String size;

  @JsonPropertyDescription("SHA-256 of the dump file.")
  public String sha256;

  @JsonPropertyDescription("Database server version.")
  public String serverVersion;

  @JsonPropertyDescription("The verification by restore, when spec.verify asks for one.")
  public VerificationStatus verification;
}
