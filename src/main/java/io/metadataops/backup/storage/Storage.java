package io.metadataops.backup.storage;

import java.io.InputStream;
import java.util.Optional;

/** Where dumps and manifests live. Implementations map their failures to EngineExceptions. */
public interface Storage extends AutoCloseable {

  /** Facts about a stored object; {@code version} pins a later read to the same content. */
  record ObjectInfo(long size, String version) {}

  /** Creates a new object; fails with ALREADY_EXISTS rather than overwrite one. */
  StorageOutput create(Location location);

  /** Opens an object for reading; NOT_FOUND when absent. */
  InputStream open(Location location);

  /** Opens an object and fails (INTEGRITY) if it is no longer the version {@code expected}. */
  InputStream open(Location location, ObjectInfo expected);

  Optional<ObjectInfo> stat(Location location);

  /** Deletes an object; returns false when it did not exist. */
  boolean delete(Location location);

  default byte[] readAll(Location location) {
    try (InputStream in = open(location)) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw StorageErrors.io("read", location, e);
    }
  }

  @Override
  default void close() {}
}
