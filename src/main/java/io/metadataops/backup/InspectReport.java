package io.metadataops.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What {@code inspect} finds out about a database before anyone relies on a backup of it, an
 * upgrade on its server, or a migration that exited 0: {@code unfinishedMigrations} are the
 * change-log rows a 2.x migration left STARTED or FAILED; {@code sortBufferSize} (bytes, MySQL and
 * MariaDB) is the session's, what OpenMetadata's migrations get.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InspectReport(
    boolean reachable,
    boolean authenticated,
    String engine,
    String serverVersion,
    Long sortBufferSize,
    String database,
    String schema,
    String schemaVersion,
    List<String> unfinishedMigrations,
    Privileges privileges,
    Integer tableCount,
    Long totalRowEstimate,
    Long totalSizeBytes,
    List<Table> tables,
    String error,
    String errorCode) {

  /** Privilege -> present, for each operation, and whether the operation can run. */
  public record Privileges(
      Map<String, Boolean> backup,
      boolean backupPossible,
      Map<String, Boolean> restore,
      boolean restorePossible) {}

  public record Table(String name, long rowEstimate, long sizeBytes) {}
}
