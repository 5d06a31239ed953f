package io.metadataops.upgrade;

import java.util.Objects;
import java.util.Optional;

/**
 * One ingestion Deployment the spec aligns with the server (with Airflow 3: the api-server, the
 * dag-processor, the triggerer and the scheduler).
 *
 * @param image its ingestion container's image; empty when the Deployment does not exist
 */
public record IngestionWorkload(String name, Optional<String> image) {

  public IngestionWorkload {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
  }
}
