package io.metadataops.controller.restore;

import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.controller.Problem;
import io.metadataops.k8s.StorageAccess;
import java.util.Optional;

/**
 * Where the dump of a restore is and which schema version the target must end up with, or why the
 * restore cannot start. Pure: decided from the restore and the backup it names.
 */
record DumpSource(
    StorageSpec storage, String location, String schemaVersion, Optional<Problem> problem) {

  static DumpSource refused(String reason, String message) {
    return new DumpSource(null, null, null, Optional.of(new Problem(reason, message)));
  }

  /** {@code backup} is the MetadataBackup that {@code spec.backupName} names, if it exists. */
  static DumpSource of(MetadataRestore restore, Optional<MetadataBackup> backup) {
    var spec = restore.getSpec();
    String namespace = restore.getMetadata().getNamespace();
    if (spec.location != null) {
      String location = StorageAccess.of(spec.location.storage).location(spec.location.path);
      return new DumpSource(
          spec.location.storage, location, spec.expectedSchemaVersion, Optional.empty());
    }
    if (backup.isEmpty()) {
      return refused(
          "BackupNotFound",
          "MetadataBackup %s/%s not found: fix spec.backupName"
              .formatted(namespace, spec.backupName));
    }
    var status = backup.get().getStatus();
    if (status == null || status.phase != BackupPhase.Succeeded) {
      return refused(
          "BackupNotSucceeded",
          "MetadataBackup %s/%s has not succeeded (phase %s): only a succeeded backup can be restored"
              .formatted(
                  namespace, spec.backupName, status == null ? BackupPhase.Pending : status.phase));
    }
    String expected = spec.expectedSchemaVersion;
    if (expected != null
        && status.schemaVersion != null
        && !sameVersion(expected, status.schemaVersion)
        && !spec.allowSchemaVersionMismatch) {
      return refused(
          "SchemaVersionMismatch",
          ("MetadataBackup %s holds OpenMetadata schema %s but spec.expectedSchemaVersion is %s:"
                  + " restore a backup of that version, or set spec.allowSchemaVersionMismatch: true")
              .formatted(spec.backupName, status.schemaVersion, expected));
    }
    return new DumpSource(
        backup.get().getSpec().storage, status.location, expected, Optional.empty());
  }

  private static boolean sameVersion(String a, String b) {
    return a.replaceFirst("^v", "").equals(b.replaceFirst("^v", ""));
  }
}
