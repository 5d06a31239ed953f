package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The rehearsal: while the server still serves, the verified pre-flight dump is restored into a
 * scratch database and migrated there by the target version's migration Job, so a migration that
 * fails on this data fails before any downtime, and one that passes says how long it takes.
 */
@ValidationRule(
    value = "!has(self.scratchDatabase) || self.enabled",
    message = "rehearsal.scratchDatabase is set but rehearsal.enabled is false: set enabled: true")
public class RehearsalSpec {

  @JsonPropertyDescription(
      "Rehearse the migration on a copy of the database before the server stops. Opt-in: it needs"
          + " the pre-flight, a database user allowed to create and drop a database, room for one"
          + " more copy of the data, and the time of one restore and one migration while the"
          + " server still serves. The migration Job's other settings (search engine, secrets"
          + " manager) stay the server's: see docs/rehearsal.md.")
  public boolean enabled;

  @Pattern("^[A-Za-z_][A-Za-z0-9_]{0,62}$")
  @JsonPropertyDescription(
      "The scratch database the copy is restored into and migrated; it must not exist, and is"
          + " dropped when the rehearsal ends, whatever its outcome. Default: `mdrehearse_` and 12"
          + " characters of this resource's uid.")
  public String scratchDatabase;
}
