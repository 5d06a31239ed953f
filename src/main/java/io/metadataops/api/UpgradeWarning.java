package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Something about an allowed upgrade path that a person should know. */
public class UpgradeWarning {

  @JsonPropertyDescription(
      "VERSION_DISAGREEMENT, IMAGE_TAG_NOT_A_VERSION or TARGET_NEWER_THAN_CATALOGUE.")
  public String code;

  @JsonPropertyDescription("What it means.")
  public String message;
}
