package io.metadataops.backup.sql;

/** How a restore executes a dump statement (see {@link Dialect#classify}). */
public enum StatementKind {
  /** A session setting: runs on every connection of the restore. */
  SESSION,
  /** Rows (a multi-row INSERT): any connection, in any order relative to other rows. */
  ROWS,
  /** {@code COPY ... FROM stdin}: its data rows follow; any connection, in any order. */
  COPY,
  /** An index or key built after the data: may run in parallel with others of its kind. */
  INDEX,
  /** Everything else: runs alone on the main connection once everything before it is done. */
  SERIAL
}
