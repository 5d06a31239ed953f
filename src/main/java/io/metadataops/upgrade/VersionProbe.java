package io.metadataops.upgrade;

/**
 * The answer of the server's version endpoint ({@code GET /api/v1/system/version}). The controller
 * probes only when {@link UpgradePlanner#expectedVersion} says a version is expected.
 */
public sealed interface VersionProbe {

  /** No probe was made in this reconciliation. */
  record NotProbed() implements VersionProbe {}

  /** The endpoint answered with this {@code version} field. */
  record Reported(String version) implements VersionProbe {}

  /** The endpoint could not be reached or answered garbage. */
  record Unreachable(String error) implements VersionProbe {}

  VersionProbe NOT_PROBED = new NotProbed();
}
