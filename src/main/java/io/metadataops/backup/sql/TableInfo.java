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

  /** The column's name as the table spells it (matched ignoring case), else {@code name}. */
  public String column(String name) {
    return columns.stream()
        .map(ColumnInfo::name)
        .filter(n -> n.equalsIgnoreCase(name))
        .findFirst()
        .orElse(name);
  }
}
