package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.metadataops.api.shared.ConditionedStatus;
import java.util.ArrayList;
import java.util.List;

public class MetadataUpgradeStatus extends ConditionedStatus {

  @JsonPropertyDescription(
      "Pending, Validating, BackingUp, AwaitingApproval, ScalingDown, Migrating, RollingOut,"
          + " Verifying, Succeeded, RollingBack, RolledBack, Failed, Stalled or Planned (dry run).")
  public String phase;

  @JsonPropertyDescription("Version of the server image before the upgrade.")
  public String fromVersion;

  @JsonPropertyDescription("Target version.")
  public String toVersion;

  @JsonPropertyDescription("OpenMetadata schema version found in the database before the upgrade.")
  public String databaseVersion;

  @JsonPropertyDescription("Server image before the upgrade, put back by a rollback.")
  public String previousImage;

  @JsonPropertyDescription("Ingestion image before the upgrade, put back by a rollback.")
  public String previousIngestionImage;

  @JsonPropertyDescription("Replica count of the server before it was scaled down.")
  public Integer previousReplicas;

  @JsonPropertyDescription("Server image the upgrade rolls out.")
  public String targetImage;

  @JsonPropertyDescription("The MetadataBackup taken before migrating.")
  public String backupName;

  @JsonPropertyDescription("The migration Job.")
  public String migrationJobName;

  @JsonPropertyDescription("The MetadataRestore of a rollback.")
  public String restoreName;

  @JsonPropertyDescription("Breaking changes this upgrade crosses.")
  public List<BreakingChange> breakingChanges = new ArrayList<>();

  @JsonPropertyDescription("Ids still waiting in spec.approvedChanges.")
  public List<String> pendingApprovals = new ArrayList<>();

  @JsonPropertyDescription("The steps, in order, with timestamps.")
  public List<UpgradeStep> steps = new ArrayList<>();

  @JsonPropertyDescription("The first failure, kept through a rollback.")
  public UpgradeFailure firstFailure;

  @JsonPropertyDescription("What a dry run would do, step by step.")
  public List<String> plan = new ArrayList<>();
}
