package io.metadataops.backup.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What a backup contains, stored beside the dump as {@code <dump>.manifest.json}. Restore and
 * verify trust nothing else: the dump must hash to {@link #sha256()} and the restored tables must
 * match {@link #tables()}. {@code objects}: the schema objects besides tables (views, routines,
 * triggers, types, ...) the restore must recreate; null in manifests written before they were
 * listed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int formatVersion,
    String engine,
    String serverVersion,
    String database,
    String schema,
    String schemaVersion,
    String compression,
    String checksumAlgorithm,
    Instant startedAt,
    Instant completedAt,
    long sizeBytes,
    String sha256,
    List<TableEntry> tables,
    List<SchemaObject> objects) {

  public static final int FORMAT_VERSION = 1;

  /** The schema objects, empty for manifests written before they were listed. */
  public List<SchemaObject> schemaObjects() {
    return objects == null ? List.of() : objects;
  }

  public long totalRows() {
    return tables.stream().mapToLong(TableEntry::rows).sum();
  }

  public Manifest withDump(long size, String sha) {
    return new Manifest(
        formatVersion,
        engine,
        serverVersion,
        database,
        schema,
        schemaVersion,
        compression,
        checksumAlgorithm,
        startedAt,
        completedAt,
        size,
        sha,
        tables,
        objects);
  }
}
