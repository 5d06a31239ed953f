package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.api.shared.JobOptions;
import io.metadataops.api.shared.StorageSpec;
import java.util.List;

@ValidationRule(
    value =
        "!has(self.verify) || !has(self.verify.scratchDatabase) || !has(self.source.database)"
            + " || self.verify.scratchDatabase != self.source.database.name",
    message =
        "verify.scratchDatabase names the database being backed up: verification restores into it;"
            + " choose another name")
public class MetadataBackupSpec {

  @Required
  @JsonPropertyDescription("The database to back up.")
  public DatabaseSource source;

  @Required
  @JsonPropertyDescription("Where the dump and its manifest are written. Nothing is overwritten.")
  public StorageSpec storage;

  @Default("gzip")
  @JsonPropertyDescription("Compression of the dump: `gzip` (default) or `none`.")
  public Compression compression = Compression.GZIP;

  @JsonPropertyDescription("Back up only these tables. Default: every table.")
  public List<String> includeTables;

  @JsonPropertyDescription("Leave these tables out.")
  public List<String> excludeTables;

  @Default("Retain")
  @JsonPropertyDescription(
      "What happens to the stored dump when this resource is deleted: `Retain` (default) keeps"
          + " it, `Delete` removes it.")
  public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @JsonPropertyDescription(
      "Verification by restore into a scratch database (opt-in); a backup that fails it is"
          + " Failed with reason VerificationFailed, and its dump is kept for inspection.")
  public BackupVerification verify;

  @JsonPropertyDescription("Settings of the backup Job (and of its verification Job).")
  public JobOptions job = new JobOptions();
}
