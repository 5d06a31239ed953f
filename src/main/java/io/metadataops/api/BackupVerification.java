package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Verification by restore: after the backup, a second Job restores the dump into a scratch database
 * on the same server, compares rows and checksums with the manifest, and drops the scratch again.
 */
@ValidationRule(
    value = "!has(self.scratchDatabase) || self.enabled",
    message = "verify.scratchDatabase is set but verify.enabled is false: set enabled: true")
public class BackupVerification {

  @JsonPropertyDescription(
      "Verify the backup by restoring it into a scratch database. Opt-in: it needs a database user"
          + " allowed to create and drop databases, and as much free space as the data.")
  public boolean enabled;

  @Pattern("^[A-Za-z_][A-Za-z0-9_]{0,62}$")
  @JsonPropertyDescription(
      "The scratch database. Default: `mdverify_` and 12 characters of this resource's uid, created"
          + " and dropped by the verification. A database that already exists must be empty, and is"
          + " left in place.")
  public String scratchDatabase;
}
