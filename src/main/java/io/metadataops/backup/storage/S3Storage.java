package io.metadataops.backup.storage;

import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3-compatible object storage. Uploads stream as a multipart upload with one bounded part buffer,
 * so a dump is never staged whole in memory or on disk. Objects are created only if absent: an
 * existence check first, then {@code If-None-Match: *} on the final request.
 */
public final class S3Storage implements Storage {

  /** S3 needs parts of at least 5 MiB; 8 MiB keeps memory small and requests few. */
  static final int PART_SIZE = 8 * 1024 * 1024;

  private final S3Client client;
  private final String endpointLabel;

  public S3Storage(S3Settings settings) {
    var builder =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.of(settings.region()))
            // Checksums only where S3 requires them: many S3-compatible stores reject the
            // SDK's default aws-chunked trailing checksums.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    this.client = builder.build();
    this.endpointLabel =
        settings.endpoint() == null ? "S3 (" + settings.region() + ")" : settings.endpoint();
  }

  @Override
  public StorageOutput create(Location location) {
    Location.S3 s3 = s3(location);
    if (stat(location).isPresent()) {
      throw alreadyExists(location);
    }
    return new MultipartOutput(s3);
  }

  @Override
  public InputStream open(Location location) {
    return open(location, null);
  }

  @Override
  public InputStream open(Location location, ObjectInfo expected) {
    Location.S3 s3 = s3(location);
    try {
      return client.getObject(
          r -> {
            r.bucket(s3.bucket()).key(s3.key());
            if (expected != null) {
              r.ifMatch(expected.version());
            }
          });
    } catch (SdkException e) {
      if (expected != null && e instanceof S3Exception s && s.statusCode() == 412) {
        throw new EngineException(
            ErrorCode.INTEGRITY, location + " changed while being restored: retry", e);
      }
      throw translate("read", location, e);
    }
  }

  @Override
  public Optional<ObjectInfo> stat(Location location) {
    Location.S3 s3 = s3(location);
    try {
      HeadObjectResponse head = client.headObject(r -> r.bucket(s3.bucket()).key(s3.key()));
      return Optional.of(new ObjectInfo(head.contentLength(), head.eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      // HEAD has no body: a 404 means either no key or no bucket; tell them apart.
      if (e.statusCode() == 404) {
        requireBucket(s3, location);
        return Optional.empty();
      }
      throw translate("stat", location, e);
    } catch (SdkException e) {
      throw translate("stat", location, e);
    }
  }

  @Override
  public boolean delete(Location location) {
    Location.S3 s3 = s3(location);
    boolean existed = stat(location).isPresent();
    try {
      client.deleteObject(r -> r.bucket(s3.bucket()).key(s3.key()));
      return existed;
    } catch (SdkException e) {
      throw translate("delete", location, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private void requireBucket(Location.S3 s3, Location location) {
    try {
      client.headBucket(r -> r.bucket(s3.bucket()));
    } catch (SdkException e) {
      throw translate("access bucket of", location, e);
    }
  }

  private EngineException translate(String action, Location location, SdkException e) {
    if (e instanceof S3Exception s) {
      String code = s.awsErrorDetails() == null ? "" : s.awsErrorDetails().errorCode();
      int status = s.statusCode();
      Location.S3 s3 = (Location.S3) location;
      if ("NoSuchBucket".equals(code) || (status == 404 && action.contains("bucket"))) {
        return new EngineException(
            ErrorCode.STORAGE,
            "bucket '"
                + s3.bucket()
                + "' does not exist at "
                + endpointLabel
                + ": create it or fix the location",
            e);
      }
      if ("NoSuchKey".equals(code) || status == 404) {
        return new EngineException(
            ErrorCode.NOT_FOUND, location + " does not exist: check the location", e);
      }
      if (status == 403) {
        return new EngineException(
            ErrorCode.STORAGE,
            "access denied to "
                + location
                + " ("
                + code
                + "): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and the bucket policy",
            e);
      }
      if (status == 412) {
        return alreadyExists(location);
      }
      return new EngineException(
          ErrorCode.STORAGE,
          "cannot " + action + " " + location + ": S3 error " + status + " " + code,
          e);
    }
    if (e instanceof SdkClientException) {
      return new EngineException(
          ErrorCode.STORAGE,
          "cannot reach "
              + endpointLabel
              + " to "
              + action
              + " "
              + location
              + " ("
              + e.getMessage()
              + "): check --s3-endpoint, --s3-region and network policies",
          e);
    }
    return new EngineException(
        ErrorCode.STORAGE, "cannot " + action + " " + location + ": " + e.getMessage(), e);
  }

  private static EngineException alreadyExists(Location location) {
    return new EngineException(
        ErrorCode.ALREADY_EXISTS,
        location + " already exists and is never overwritten: choose another output name");
  }

  private static Location.S3 s3(Location location) {
    if (location instanceof Location.S3 s3) {
      return s3;
    }
    throw new IllegalArgumentException("not an S3 location: " + location);
  }

  /** Buffers one part at a time; small objects become a single conditional PUT. */
  private final class MultipartOutput extends StorageOutput {
    private final Location.S3 target;
    private final byte[] buffer = new byte[PART_SIZE];
    private final List<CompletedPart> parts = new ArrayList<>();
    private int filled;
    private String uploadId;
    private boolean done;

    MultipartOutput(Location.S3 target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, buffer.length - filled);
        System.arraycopy(b, off, buffer, filled, n);
        filled += n;
        off += n;
        len -= n;
        if (filled == buffer.length) {
          uploadPart();
        }
      }
    }

    private void uploadPart() {
      try {
        if (uploadId == null) {
          uploadId =
              client
                  .createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()))
                  .uploadId();
        }
        int partNumber = parts.size() + 1;
        String etag =
            client
                .uploadPart(
                    r ->
                        r.bucket(target.bucket())
                            .key(target.key())
                            .uploadId(uploadId)
                            .partNumber(partNumber),
                    RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled)))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        filled = 0;
      } catch (SdkException e) {
        throw translate("upload", target, e);
      }
    }

    @Override
    public void close() {
      if (done) {
        return;
      }
      done = true;
      try {
        if (uploadId == null) {
          client.putObject(
              r -> r.bucket(target.bucket()).key(target.key()).ifNoneMatch("*"),
              RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled)));
          return;
        }
        if (filled > 0) {
          uploadPart();
        }
        client.completeMultipartUpload(
            r ->
                r.bucket(target.bucket())
                    .key(target.key())
                    .uploadId(uploadId)
                    .ifNoneMatch("*")
                    .multipartUpload(m -> m.parts(parts)));
      } catch (SdkException e) {
        abort();
        throw translate("upload", target, e);
      }
    }

    @Override
    public void abort() {
      done = true;
      if (uploadId != null) {
        try {
          client.abortMultipartUpload(
              r -> r.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
        } catch (SdkException ignored) {
          // best effort: the original failure is what the caller reports
        }
      }
    }
  }
}
