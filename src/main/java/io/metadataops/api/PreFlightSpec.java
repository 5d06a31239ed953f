package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The pre-flight: while the server still serves, a backup of the database is taken and verified by
 * restore into a scratch database, so a database this engine cannot carry is found before any
 * downtime, not during a rollback.
 */
@ValidationRule(
    value =
        "self.enabled || (has(self.disabledAcknowledgement) && self.disabledAcknowledgement == '"
            + PreFlightSpec.NO_PRE_FLIGHT_ACKNOWLEDGEMENT
            + "')",
    message =
        "to upgrade without the pre-flight set preFlight.disabledAcknowledgement: "
            + PreFlightSpec.NO_PRE_FLIGHT_ACKNOWLEDGEMENT)
public class PreFlightSpec {

  public static final String NO_PRE_FLIGHT_ACKNOWLEDGEMENT =
      "I-accept-that-the-backup-is-first-restored-during-a-rollback";

  @Default("true")
  @JsonPropertyDescription(
      "Run the pre-flight (default). It needs a database user allowed to create and drop a"
          + " database, and room for one more copy of the data for the time of the check.")
  public boolean enabled = true;

  @JsonPropertyDescription(
      "Required to disable the pre-flight: the text `" + NO_PRE_FLIGHT_ACKNOWLEDGEMENT + "`.")
  public String disabledAcknowledgement;

  @Pattern("^[A-Za-z_][A-Za-z0-9_]{0,62}$")
  @JsonPropertyDescription(
      "The scratch database of the verification. Default: `mdverify_` and 12 characters of the"
          + " pre-flight backup's uid.")
  public String scratchDatabase;
}
