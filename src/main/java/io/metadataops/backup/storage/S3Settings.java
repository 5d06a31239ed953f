package io.metadataops.backup.storage;

/**
 * How to reach S3-compatible storage. Credentials come from the SDK's default chain ({@code
 * AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, web identity, instance profile).
 */
public record S3Settings(String endpoint, String region, boolean pathStyle) {

  public S3Settings {
    region = region == null || region.isBlank() ? "us-east-1" : region;
  }

  public static S3Settings defaults() {
    return new S3Settings(null, null, false);
  }
}
