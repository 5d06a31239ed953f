package io.metadataops.backup.sql;

import java.util.List;

/**
 * A base table to back up. {@code id} is engine-specific (PostgreSQL: the oid); the estimates come
 * from the catalog statistics and are only used for inspect and progress.
 */
public record TableInfo(
    String name,
    long id,
    List<ColumnInfo> columns,
    List<String> primaryKey,
    long rowEstimate,
    long sizeBytes) {

  /** The columns whose values are dumped and checksummed: generated ones are recomputed. */
  public List<ColumnInfo> storedColumns() {
    return columns.stream().filter(c -> !c.generated()).toList();
  }
}
