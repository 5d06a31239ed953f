package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** How the running version is checked after the rollout. */
public class VerificationSpec {

  @Pattern("^https?://.+")
  @JsonPropertyDescription(
      "Version endpoint. Default:"
          + " `http://<deployment>.<namespace>.svc:8585/api/v1/system/version`.")
  public String url;

  @Min(1)
  @Default("600")
  @JsonPropertyDescription(
      "Time allowed for the endpoint to report the target version. Default: 600.")
  public long timeoutSeconds = 600;
}
