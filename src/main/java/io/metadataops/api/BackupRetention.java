package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Which backups of a schedule are kept. The newest successful backup is always kept, whatever the
 * limits say: retention never leaves a database without a good backup.
 */
public class BackupRetention {

  @Min(1)
  @JsonPropertyDescription("Keep at most this many successful backups (older ones are deleted).")
  public Integer keepLast;

  @Pattern("^[0-9]+[mhd]$")
  @JsonPropertyDescription(
      "Delete backups older than this: a number and a unit, `m` (minutes), `h` (hours) or `d`"
          + " (days), for example `30d`.")
  public String maxAge;
}
