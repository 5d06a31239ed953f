package io.metadataops.backup.sql;

/** A column as the data path needs it; DDL comes from the database itself, not from here. */
public record ColumnInfo(String name, String dataType, boolean generated) {}
