package io.metadataops.backup.storage;

/** Picks the storage for a location; S3 clients are only built when an s3:// location is used. */
public final class StorageFactory {

  private final S3Settings s3Settings;

  public StorageFactory(S3Settings s3Settings) {
    this.s3Settings = s3Settings == null ? S3Settings.defaults() : s3Settings;
  }

  public Storage forLocation(Location location) {
    return forLocation(location, true);
  }

  /**
   * {@code syncLocalFiles} false: local files are not synced when closed (an S3 upload is durable
   * when it completes either way).
   */
  public Storage forLocation(Location location, boolean syncLocalFiles) {
    return location instanceof Location.S3
        ? new S3Storage(s3Settings)
        : new LocalStorage(syncLocalFiles);
  }
}
