package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.metadataops.api.shared.ConditionedStatus;
import java.util.ArrayList;
import java.util.List;

public class MetadataBackupScheduleStatus extends ConditionedStatus {

  @JsonPropertyDescription("The last time a backup was due (RFC 3339), created or skipped.")
  public String lastScheduleTime;

  @JsonPropertyDescription("The next time a backup is due (RFC 3339).")
  public String nextScheduleTime;

  @JsonPropertyDescription("The newest successful MetadataBackup of this schedule.")
  public String lastSuccessfulBackup;

  @JsonPropertyDescription("When the newest successful backup finished (RFC 3339).")
  public String lastSuccessfulTime;

  @JsonPropertyDescription("MetadataBackups of this schedule still running.")
  public List<String> active = new ArrayList<>();
}
