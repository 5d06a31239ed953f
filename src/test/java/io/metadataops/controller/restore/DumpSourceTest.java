package io.metadataops.controller.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSpec;
import io.metadataops.api.MetadataBackupStatus;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataRestoreSpec;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.controller.Problem;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DumpSourceTest {

  @Test
  void aMissingBackupNamesTheFieldToFix() {
    DumpSource source = DumpSource.of(restore(null), Optional.empty());
    assertThat(source.problem().map(Problem::reason)).contains("BackupNotFound");
    assertThat(source.problem().get().message()).contains("spec.backupName").contains("nightly");
  }

  @Test
  void onlyASucceededBackupIsRestored() {
    DumpSource source =
        DumpSource.of(restore(null), Optional.of(backup(BackupPhase.Running, "1.5.2")));
    assertThat(source.problem().map(Problem::reason)).contains("BackupNotSucceeded");
    assertThat(source.problem().get().message()).contains("phase Running");
  }

  @Test
  void aBackupOfAnotherSchemaVersionIsRefusedUnlessAllowed() {
    MetadataRestore restore = restore("1.6.3");
    MetadataBackup backup = backup(BackupPhase.Succeeded, "1.5.2");
    DumpSource refused = DumpSource.of(restore, Optional.of(backup));
    assertThat(refused.problem().map(Problem::reason)).contains("SchemaVersionMismatch");
    assertThat(refused.problem().get().message()).contains("spec.allowSchemaVersionMismatch");

    restore.getSpec().allowSchemaVersionMismatch = true;
    assertThat(DumpSource.of(restore, Optional.of(backup)).problem()).isEmpty();
  }

  @Test
  void aSucceededBackupGivesItsStorageLocationAndTheExpectedVersion() {
    MetadataBackup backup = backup(BackupPhase.Succeeded, "v1.5.2");
    DumpSource source = DumpSource.of(restore("1.5.2"), Optional.of(backup));
    assertThat(source.problem()).isEmpty();
    assertThat(source.location()).isEqualTo("/backups/nightly.sql.gz");
    assertThat(source.storage()).isSameAs(backup.getSpec().storage);
    assertThat(source.schemaVersion()).isEqualTo("1.5.2");
  }

  private static MetadataRestore restore(String expectedSchemaVersion) {
    MetadataRestore restore = new MetadataRestore();
    restore.getMetadata().setName("back");
    restore.getMetadata().setNamespace("om");
    restore.setSpec(new MetadataRestoreSpec());
    restore.getSpec().backupName = "nightly";
    restore.getSpec().expectedSchemaVersion = expectedSchemaVersion;
    return restore;
  }

  private static MetadataBackup backup(BackupPhase phase, String schemaVersion) {
    MetadataBackup backup = new MetadataBackup();
    backup.getMetadata().setName("nightly");
    backup.setSpec(new MetadataBackupSpec());
    backup.getSpec().storage = new StorageSpec();
    backup.getSpec().storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
    backup.setStatus(new MetadataBackupStatus());
    backup.getStatus().phase = phase;
    backup.getStatus().schemaVersion = schemaVersion;
    backup.getStatus().location = "/backups/nightly.sql.gz";
    return backup;
  }
}
