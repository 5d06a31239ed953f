package io.metadataops.upgrade;

import java.util.List;
import java.util.Objects;

/**
 * The breaking changes of one minor line.
 *
 * @param mandatoryStop a database older than this minor must reach its latest patch before any
 *     later minor, though it may go to this minor directly (2.0: 2.0 migrates any 1.x database, the
 *     migration runner of 2.1 and later rejects databases below 2.0.0)
 */
public record CatalogueEntry(
    MinorVersion minor, boolean mandatoryStop, List<BreakingChange> changes) {

  public CatalogueEntry {
    Objects.requireNonNull(minor, "minor");
    changes = List.copyOf(changes);
  }
}
