package io.metadataops.upgrade;

import java.util.List;
import java.util.Objects;

/**
 * The breaking changes of one minor line.
 *
 * @param mandatoryStop a database older than this minor must reach its latest patch before any
 *     later minor (2.0: the 2.x migration runner rejects older databases)
 */
public record CatalogueEntry(
    MinorVersion minor, boolean mandatoryStop, List<BreakingChange> changes) {

  public CatalogueEntry {
    Objects.requireNonNull(minor, "minor");
    changes = List.copyOf(changes);
  }
}
