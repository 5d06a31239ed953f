package io.metadataops.api;

/** Lifecycle of a MetadataBackup (and of a MetadataRestore, which runs the same kind of Job). */
public enum BackupPhase {
  Pending,
  Running,
  Succeeded,
  Failed
}
