package io.metadataops.controller.upgrade;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.metadataops.upgrade.Manager;
import java.util.Map;
import java.util.Objects;

/** Reads who applies an object from the marks on its metadata. */
final class Managers {

  private Managers() {}

  static Manager of(HasMetadata object) {
    return Manager.of(
        Objects.requireNonNullElse(object.getMetadata().getLabels(), Map.of()),
        Objects.requireNonNullElse(object.getMetadata().getAnnotations(), Map.of()));
  }
}
