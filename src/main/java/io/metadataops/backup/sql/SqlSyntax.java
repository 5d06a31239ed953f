package io.metadataops.backup.sql;

/** The lexical rules that differ between the dialects when splitting a dump into statements. */
public enum SqlSyntax {
  /** Backslash escapes in '...' and "..." strings, `identifiers`, # comments. */
  MYSQL,
  /**
   * standard_conforming_strings: backslashes are literal in '...' (escapes only in E'...'),
   * "identifiers", $tag$ dollar quoting $tag$, nested block comments, COPY ... FROM stdin data.
   */
  POSTGRESQL
}
