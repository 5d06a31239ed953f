package io.metadataops.controller;

import java.time.Duration;

/**
 * Settings of the running operator. The engine image is the operator's own image by default, so
 * Jobs run the very engine this operator was tested with.
 *
 * @param engineImage image of backup, restore and inspect Jobs
 * @param recheckInterval how often a resource waiting on something not watched is looked at again
 */
public record OperatorSettings(String engineImage, Duration recheckInterval) {

  public static final String DEFAULT_ENGINE_IMAGE = "ghcr.io/metadataops/metadata-operator:0.1.0";

  public static OperatorSettings fromEnvironment() {
    String image = System.getenv().getOrDefault("METADATAOPS_ENGINE_IMAGE", DEFAULT_ENGINE_IMAGE);
    return new OperatorSettings(image, Duration.ofSeconds(30));
  }
}
