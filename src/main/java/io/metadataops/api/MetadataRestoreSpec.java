package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.api.shared.JobOptions;
import io.metadataops.api.shared.Names;

@ValidationRule(
    value = "self == oldSelf",
    message = "spec is immutable once created: create a new MetadataRestore instead")
@ValidationRule(
    value = "has(self.backupName) != has(self.location)",
    message =
        "set exactly one of backupName (a MetadataBackup in this namespace) or location (a"
            + " stored dump)")
public class MetadataRestoreSpec {

  @Pattern(Names.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of a succeeded MetadataBackup in this namespace to restore.")
  public String backupName;

  @JsonPropertyDescription("A stored dump to restore, when there is no MetadataBackup for it.")
  public RestoreSource location;

  @Required
  @JsonPropertyDescription("The database to restore into.")
  public DatabaseSource target;

  @Default("false")
  @JsonPropertyDescription(
      "Drop the tables already in the target database first. Without it, a non-empty target is"
          + " refused.")
  public boolean dropExistingTables;

  @Pattern(Names.RELEASE_VERSION)
  @JsonPropertyDescription(
      "OpenMetadata version the target database must hold after the restore. Default: the"
          + " version of the target server Deployment's image, when the target is a server.")
  public String expectedSchemaVersion;

  @Default("false")
  @JsonPropertyDescription(
      "Restore even when the backup's schema version differs from the expected one. The server"
          + " will refuse to start or will migrate it: use only when you know why.")
  public boolean allowSchemaVersionMismatch;

  @Default("true")
  @JsonPropertyDescription(
      "When the target is a server Deployment, scale it to zero during the restore and back to"
          + " its replica count afterwards. Default: true.")
  public boolean scaleDownServer = true;

  @JsonPropertyDescription("Settings of the restore Job.")
  public JobOptions job = new JobOptions();
}
