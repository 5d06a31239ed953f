package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

public class MetadataBackupScheduleSpec {

  @Required
  @JsonPropertyDescription(
      "When to back up, in cron syntax with five fields (minute hour day-of-month month"
          + " day-of-week), for example `0 2 * * *` for 02:00 every day.")
  public String schedule;

  @Default("UTC")
  @JsonPropertyDescription(
      "IANA time zone of the schedule, for example `Europe/Paris`. Default: UTC.")
  public String timeZone = "UTC";

  @Default("false")
  @JsonPropertyDescription("Create no new backups while true; existing ones and retention stay.")
  public boolean suspend;

  @Required
  @JsonPropertyDescription("The spec of every MetadataBackup this schedule creates.")
  public MetadataBackupSpec backupTemplate;

  @JsonPropertyDescription("Which backups to keep. Default: all.")
  public BackupRetention retention;
}
