package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.metadataops.api.shared.JobOptions;
import io.metadataops.api.shared.StorageSpec;

/** The backup taken before anything is migrated. */
@ValidationRule(
    value =
        "self.enabled ? has(self.storage) : (has(self.disabledAcknowledgement) &&"
            + " self.disabledAcknowledgement == '"
            + UpgradeBackup.NO_BACKUP_ACKNOWLEDGEMENT
            + "')",
    message =
        "backup.storage is required; to upgrade without a backup set backup.enabled: false"
            + " and backup.disabledAcknowledgement: "
            + UpgradeBackup.NO_BACKUP_ACKNOWLEDGEMENT)
public class UpgradeBackup {

  /** Deliberately long: disabling the backup removes the only way back. */
  public static final String NO_BACKUP_ACKNOWLEDGEMENT =
      "I-accept-that-a-failed-upgrade-cannot-be-rolled-back";

  @Default("true")
  @JsonPropertyDescription(
      "Take a backup before migrating (default). No successful backup, no migration.")
  public boolean enabled = true;

  @JsonPropertyDescription(
      "Required to disable the backup: the text `" + NO_BACKUP_ACKNOWLEDGEMENT + "`.")
  public String disabledAcknowledgement;

  @JsonPropertyDescription("Where the pre-upgrade dump is stored.")
  public StorageSpec storage;

  @Default("gzip")
  @JsonPropertyDescription("Compression of the dump: `gzip` (default) or `none`.")
  public Compression compression = Compression.GZIP;

  @Default("Retain")
  @JsonPropertyDescription("What happens to the dump when the backup resource is deleted.")
  public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @JsonPropertyDescription("Settings of the backup and restore Jobs.")
  public JobOptions job = new JobOptions();
}
