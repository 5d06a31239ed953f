package io.metadataops.api;

/** What happens to the stored dump when its MetadataBackup is deleted. */
public enum DeletionPolicy {
  Retain,
  Delete
}
