package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Waiting for the server Deployment to run the target image. */
public class RolloutSpec {

  @Min(10)
  @Default("900")
  @JsonPropertyDescription(
      "Time allowed for the Deployment to have every replica updated and available. Default: 900.")
  public long timeoutSeconds = 900;
}
