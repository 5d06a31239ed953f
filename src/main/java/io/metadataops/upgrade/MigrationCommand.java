package io.metadataops.upgrade;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The command that migrates the database, run by a Job with the TARGET server image and the
 * server's own environment.
 *
 * @param command the container command, program first
 * @param workingDir the container working directory the relative program path resolves against
 */
public record MigrationCommand(List<String> command, String workingDir) {

  /** Where the server image keeps {@code bootstrap/}. */
  public static final String SERVER_HOME = "/opt/openmetadata";

  /**
   * {@code bootstrap_storage.sh} is deprecated in 1.4 and gone in 1.5; its successor came in 1.3.
   */
  static final MinorVersion OPS_SCRIPT_SINCE = new MinorVersion(1, 3);

  public MigrationCommand {
    command = List.copyOf(command);
    Objects.requireNonNull(workingDir, "workingDir");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a migration command needs at least a program");
    }
  }

  /**
   * The command for a target version. Never {@code --force}: it re-runs every migration and has
   * lost data on old databases.
   */
  public static MigrationCommand forTarget(Version target) {
    List<String> command =
        target.minorVersion().isBefore(OPS_SCRIPT_SINCE)
            ? List.of("./bootstrap/bootstrap_storage.sh", "migrate-all")
            : List.of("./bootstrap/openmetadata-ops.sh", "migrate");
    return new MigrationCommand(command, SERVER_HOME);
  }

  /**
   * The command that rebuilds the search indexes from the database, in the server image of {@code
   * version}; empty for releases before {@code openmetadata-ops.sh}, whose indexes are rebuilt from
   * the UI only.
   */
  public static Optional<MigrationCommand> reindex(Version version) {
    return version.minorVersion().isBefore(OPS_SCRIPT_SINCE)
        ? Optional.empty()
        : Optional.of(
            new MigrationCommand(
                List.of("./bootstrap/openmetadata-ops.sh", "reindex"), SERVER_HOME));
  }

  /** The spec's override when one is given, otherwise the command for the target version. */
  public static MigrationCommand resolve(Version target, Optional<List<String>> override) {
    return override
        .filter(o -> !o.isEmpty())
        .map(o -> new MigrationCommand(o, SERVER_HOME))
        .orElseGet(() -> forTarget(target));
  }
}
