package io.metadataops.backup.storage;

import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import java.net.URI;
import java.nio.file.Path;

/** A parsed storage location: a local path ({@code /x}, {@code file:///x}) or {@code s3://b/k}. */
public sealed interface Location {

  record Local(Path path) implements Location {
    @Override
    public Location sibling(String suffix) {
      return new Local(Path.of(path + suffix));
    }

    @Override
    public String toString() {
      return path.toString();
    }
  }

  record S3(String bucket, String key) implements Location {
    @Override
    public Location sibling(String suffix) {
      return new S3(bucket, key + suffix);
    }

    @Override
    public String toString() {
      return "s3://" + bucket + "/" + key;
    }
  }

  /** The location with {@code suffix} appended to its name, e.g. the manifest beside a dump. */
  Location sibling(String suffix);

  String MANIFEST_SUFFIX = ".manifest.json";

  default Location manifest() {
    return sibling(MANIFEST_SUFFIX);
  }

  default String fileName() {
    String s = toString();
    return s.substring(s.lastIndexOf('/') + 1);
  }

  static Location parse(String value) {
    if (value == null || value.isBlank()) {
      throw new EngineException(ErrorCode.USAGE, "a storage location is required");
    }
    if (value.startsWith("s3://")) {
      String rest = value.substring("s3://".length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        throw new EngineException(
            ErrorCode.USAGE,
            "invalid S3 location '" + value + "': expected s3://bucket/prefix/name.sql.gz");
      }
      return new S3(rest.substring(0, slash), rest.substring(slash + 1));
    }
    if (value.startsWith("file:")) {
      return new Local(Path.of(URI.create(value)));
    }
    if (value.contains("://")) {
      throw new EngineException(
          ErrorCode.USAGE,
          "unsupported storage location '" + value + "': use a local path, file:// or s3://");
    }
    return new Local(Path.of(value));
  }
}
