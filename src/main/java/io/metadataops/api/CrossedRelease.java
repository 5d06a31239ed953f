package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A minor release line an upgrade crosses, as listed in the shipped catalogue. */
public class CrossedRelease {

  @JsonPropertyDescription("The minor version, for example `1.6`.")
  public String version;

  @JsonPropertyDescription(
      "Whether a database older than this line must stop at its latest patch first.")
  public boolean mandatoryStop;
}
