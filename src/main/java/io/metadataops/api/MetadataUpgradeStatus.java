package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.metadataops.api.shared.ConditionedStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What the upgrade did so far. Everything the operator needs to resume after a restart is here: the
 * phase, the attempt, when the current step started and the whole plan.
 */
public class MetadataUpgradeStatus extends ConditionedStatus {

  @JsonPropertyDescription(
      "Pending, Validating, AwaitingApproval, PreFlight, ScalingDown, BackingUp, Migrating, RollingOut,"
          + " Verifying, Reindexing, Succeeded, RollingBack, RolledBack, Failed, Stalled or Planned (dry"
          + " run).")
  public MetadataUpgradePhase phase;

  @JsonPropertyDescription(
      "The metadata.generation the current attempt was started for; children are named after"
          + " it.")
  public Long attempt;

  @JsonPropertyDescription(
      "The step inside phase RollingBack: STOPPING_WRITERS, RESTORING, AWAITING_GIT (a GitOps"
          + " tool must apply the previous image again: revert the commit), REDEPLOYING, VERIFYING"
          + " or REINDEXING.")
  public String rollbackStep;

  @JsonPropertyDescription(
      "When the current phase (or rollback step) started (RFC 3339); timeouts count from here.")
  public String stepStartedAt;

  @JsonPropertyDescription(
      "Version the upgrade starts from: the database schema version when known, else the image"
          + " tag.")
  public String fromVersion;

  @JsonPropertyDescription("Target version.")
  public String toVersion;

  @JsonPropertyDescription("OpenMetadata schema version found in the database before the upgrade.")
  public String databaseVersion;

  @JsonPropertyDescription(
      "The database the server uses, as the inspect Job reached it with the server's settings"
          + " (`mysql://host:3306/openmetadata_db`, never credentials), also when they come from a"
          + " Secret.")
  public String database;

  @JsonPropertyDescription("The database server's engine and version, e.g. `mysql 8.0.42`.")
  public String databaseServer;

  @JsonPropertyDescription("Server image before the upgrade, put back by a rollback.")
  public String previousImage;

  @JsonPropertyDescription("Version the previous server image reports, checked after a rollback.")
  public String previousServerVersion;

  @JsonPropertyDescription("Ingestion image before the upgrade, put back by a rollback.")
  public String previousIngestionImage;

  @JsonPropertyDescription("Replica count of the server before it was scaled down.")
  public Integer previousReplicas;

  @JsonPropertyDescription("Server image the upgrade rolls out.")
  public String targetImage;

  @JsonPropertyDescription("Ingestion image the upgrade rolls out.")
  public String targetIngestionImage;

  @JsonPropertyDescription("Command of the migration Job.")
  public List<String> migrationCommand;

  @JsonPropertyDescription("Working directory of the migration command.")
  public String migrationWorkingDir;

  @JsonPropertyDescription(
      "Who applies the new images from Git, e.g. `Argo CD application openmetadata`: the server"
          + " Deployment is applied by a GitOps tool, so the operator migrates, then waits for the"
          + " tool to apply the target image (the upgrade reports itself healthy from then on)."
          + " Absent when the operator sets the images itself.")
  public String gitOps;

  @JsonPropertyDescription("The phases this upgrade runs, in order.")
  public List<String> plannedSteps;

  @JsonPropertyDescription("The database inspection Job of this attempt.")
  public String inspectionJobName;

  @JsonPropertyDescription("The succeeded MetadataBackup taken before migrating.")
  public String backupName;

  @JsonPropertyDescription("The migration Job.")
  public String migrationJobName;

  @JsonPropertyDescription("The MetadataRestore of a rollback.")
  public String restoreName;

  @JsonPropertyDescription("The Job that rebuilds the search indexes.")
  public String reindexJobName;

  @JsonPropertyDescription("Minor release lines this upgrade crosses.")
  public List<CrossedRelease> crossedReleases = new ArrayList<>();

  @JsonPropertyDescription("Breaking changes this upgrade crosses.")
  public List<BreakingChange> breakingChanges = new ArrayList<>();

  @JsonPropertyDescription("Ids still waiting in spec.approvedChanges.")
  public List<String> pendingApprovals = new ArrayList<>();

  @JsonPropertyDescription(
      "Ids in spec.approvedChanges that name no change this upgrade crosses (a typo?).")
  public List<String> unmatchedApprovals = new ArrayList<>();

  @JsonPropertyDescription("What a person should know about the upgrade path.")
  public List<UpgradeWarning> warnings = new ArrayList<>();

  @JsonPropertyDescription(
      "The server's downtime window: open (no endedAt) while the server is down, closed once a"
          + " verified version serves again.")
  public Downtime downtime;

  @JsonPropertyDescription(
      "The rehearsal of the migration on a scratch copy of the database (spec.rehearsal).")
  public RehearsalStatus rehearsal;

  @JsonPropertyDescription("The steps, in order, with timestamps and durations.")
  public List<UpgradeStep> steps = new ArrayList<>();

  @JsonPropertyDescription("The first failure, kept through a rollback.")
  public UpgradeFailure firstFailure;

  @JsonPropertyDescription("The failure of the rollback itself; a person must act.")
  public UpgradeFailure rollbackFailure;

  @JsonPropertyDescription("What the upgrade does, step by step (also written by a dry run).")
  public List<String> plan = new ArrayList<>();

  @JsonPropertyDescription(
      "What a person must do once the target serves, because the operator cannot: e.g. set"
          + " K8S_INGESTION_IMAGE in the Kubernetes orchestrator's Secret (the operator edits no"
          + " Secret).")
  public List<String> requiredActions = new ArrayList<>();
}
