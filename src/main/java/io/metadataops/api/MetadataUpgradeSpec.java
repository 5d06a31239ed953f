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

  @ValidationRule(
      value =
          "has(self.deploymentName) || (has(self.deployments) && size(self.deployments) > 0)"
              + " || has(self.orchestratorSecret)",
      message = "ingestion needs a deploymentName, deployments or an orchestratorSecret to align")
  @JsonPropertyDescription(
      "The ingestion side to align with the server version: Deployments and/or the Kubernetes"
          + " orchestrator's image.")
  public IngestionSpec ingestion;

  @JsonPropertyDescription(
      "The search engine's workload, when the operator should check its version against the"
          + " target's requirements (Elasticsearch 9.x or OpenSearch 3.x from 1.12) before"
          + " anything changes.")
  public SearchSpec search;

  /** When the search indexes are rebuilt after the upgrade. */
  public enum Reindex {
    Auto,
    Always,
    Never
  }

  @Default("Auto")
  @JsonPropertyDescription(
      "Rebuild the search indexes (`openmetadata-ops.sh reindex` in a Job with the server's"
          + " settings) once the target serves: Auto when a crossed breaking change needs it,"
          + " Always, or Never. After a rollback that follows a migration, the indexes are rebuilt"
          + " with the previous image when this upgrade planned a reindex. A failed reindex rolls"
          + " nothing back.")
  public Reindex reindex = Reindex.Auto;

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
