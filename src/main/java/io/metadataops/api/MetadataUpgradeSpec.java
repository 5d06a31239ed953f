package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.metadataops.api.shared.Names;
import io.metadataops.api.shared.ServerReference;
import java.util.ArrayList;
import java.util.List;

@ValidationRule(
    value =
        "!has(self.rehearsal) || !self.rehearsal.enabled || (self.backup.enabled &&"
            + " (!has(self.preFlight) || self.preFlight.enabled))",
    message =
        "rehearsal.enabled needs the pre-flight, whose verified dump it migrates: enable"
            + " backup and preFlight")
public class MetadataUpgradeSpec {

  @Required
  @ValidationRule(
      value = "self == oldSelf",
      message = "server is immutable: create a new MetadataUpgrade for another Deployment")
  @JsonPropertyDescription("The OpenMetadata server Deployment to upgrade.")
  public ServerReference server;

  @Required
  @Pattern(Names.RELEASE_VERSION)
  @ValidationRule(
      value = "self == oldSelf",
      message = "targetVersion is immutable: create a new MetadataUpgrade for another version")
  @JsonPropertyDescription("OpenMetadata release to upgrade to, for example `1.5.2`.")
  public String targetVersion;

  @JsonPropertyDescription(
      "Full target server image. Default: the current registry and repository with the tag"
          + " `targetVersion`.")
  public String image;

  @JsonPropertyDescription("An ingestion Deployment to align with the server version.")
  public IngestionSpec ingestion;

  @Required
  @JsonPropertyDescription("The backup taken before migrating, once the server has stopped.")
  public UpgradeBackup backup;

  @JsonPropertyDescription(
      "The pre-flight before any downtime: a backup of the serving database verified by restore"
          + " into a scratch database. On by default; it stores its dump next to the backup's.")
  public PreFlightSpec preFlight = new PreFlightSpec();

  @JsonPropertyDescription(
      "The rehearsal before any downtime: the pre-flight dump restored into a scratch database"
          + " and migrated there by the target version's migration Job. Off by default.")
  public RehearsalSpec rehearsal;

  @JsonPropertyDescription(
      "Breaking changes you have reviewed and accept, by id (listed in"
          + " status.breakingChanges). The upgrade waits in AwaitingApproval until every change"
          + " that needs approval is named here, so an approval never covers a change nobody read.")
  public List<String> approvedChanges = new ArrayList<>();

  @JsonPropertyDescription("The migration Job.")
  public MigrationSpec migration = new MigrationSpec();

  @JsonPropertyDescription("The rollout of the server Deployment.")
  public RolloutSpec rollout = new RolloutSpec();

  @JsonPropertyDescription("The check of the version endpoint.")
  public VerificationSpec verification = new VerificationSpec();

  @Default("true")
  @JsonPropertyDescription(
      "After a failure that follows the backup, restore the backup and the previous image(s)."
          + " Default: true.")
  public boolean rollbackOnFailure = true;

  @Default("false")
  @JsonPropertyDescription(
      "Stop before the next step (a running Job finishes). The annotation"
          + " `metadataops.io/paused: \"true\"` does the same.")
  public boolean paused;

  @Default("false")
  @JsonPropertyDescription("Validate and write the plan to the status; change nothing.")
  public boolean dryRun;
}
