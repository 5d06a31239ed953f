package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...). */
public class S3Storage {

  @JsonPropertyDescription(
      "Endpoint URL, for S3-compatible stores (for example `http://minio.minio.svc:9000`)."
          + " Default: AWS S3 of the region.")
  @Pattern("^https?://.+")
  public String endpoint;

  @Required
  @JsonPropertyDescription("Bucket name. It must exist.")
  public String bucket;

  @Default("")
  @JsonPropertyDescription("Key prefix (a folder) for the dumps, for example `openmetadata/prod`.")
  public String prefix = "";

  @Default("us-east-1")
  @JsonPropertyDescription("Region. Default: `us-east-1`.")
  public String region = "us-east-1";

  @Default("false")
  @JsonPropertyDescription("Use path-style addressing (needed by most MinIO installs).")
  public boolean pathStyle;

  @Required
  @JsonPropertyDescription("Secret with the access key pair.")
  public S3Credentials credentials;
}
