package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the rehearsal of the migration on a scratch copy of the database did. */
public class RehearsalStatus {

  @JsonPropertyDescription("The scratch database the pre-flight dump was restored into.")
  public String scratchDatabase;

  @JsonPropertyDescription("The Job that restored the pre-flight dump into the scratch database.")
  public String restoreJobName;

  @JsonPropertyDescription("The Job that migrated the scratch database with the target image.")
  public String migrationJobName;

  @JsonPropertyDescription("The Job that dropped the scratch database.")
  public String dropJobName;

  @JsonPropertyDescription("`Passed` or `Failed`, once the rehearsal migration has finished.")
  public String outcome;

  @JsonPropertyDescription("What the rehearsal migration did.")
  public String message;

  @JsonPropertyDescription(
      "How long the rehearsal migration ran, in seconds: the migration time to expect during the"
          + " downtime.")
  public Long migrationSeconds;
}
