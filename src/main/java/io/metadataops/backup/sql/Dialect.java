package io.metadataops.backup.sql;

import io.metadataops.backup.ConnectionSpec;
import io.metadataops.backup.DbScheme;
import io.metadataops.backup.Progress;
import io.metadataops.backup.manifest.SchemaVersions.ChangeLogRow;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What differs between MySQL/MariaDB and PostgreSQL. The engine drives the same sequence for both:
 * snapshot, header, table definitions, data, post-data DDL, footer; then on restore: split,
 * execute, digest.
 */
public interface Dialect {

  DbScheme scheme();

  SqlSyntax syntax();

  static Dialect of(DbScheme scheme) {
    return scheme == DbScheme.MYSQL ? new MySqlDialect() : new PostgresDialect();
  }

  /** Opens a connection to {@code spec.database()} (or to the server when it is null). */
  Connection connect(ConnectionSpec spec) throws SQLException;

  ServerInfo serverInfo(Connection connection) throws SQLException;

  /** Starts the read-only transaction whose snapshot the whole backup reads. */
  void beginSnapshot(Connection connection) throws SQLException;

  List<TableInfo> tables(Connection connection, ConnectionSpec spec) throws SQLException;

  /** The rows of SERVER_CHANGE_LOG as (version, status) pairs, empty when there is none. */
  default List<ChangeLogRow> changeLog(Connection connection, List<TableInfo> tables)
      throws SQLException {
    for (TableInfo table : tables) {
      if (table.name().equalsIgnoreCase("SERVER_CHANGE_LOG")) {
        boolean hasStatus =
            table.columns().stream().anyMatch(c -> c.name().equalsIgnoreCase("status"));
        return ChangeLogRow.readAll(connection, changeLogQuery(table, hasStatus));
      }
    }
    return List.of();
  }

  /**
   * Selects (version, status as text, or NULL without a status column) from the change-log table.
   */
  String changeLogQuery(TableInfo changeLog, boolean hasStatus);

  void writeHeader(DumpSink out, ServerInfo server, ConnectionSpec spec) throws IOException;

  void writeTableDefinitions(Connection connection, List<TableInfo> tables, DumpSink out)
      throws SQLException, IOException;

  TableDigest writeTableData(Connection connection, TableInfo table, DumpSink out, RowMeter meter)
      throws SQLException, IOException;

  /** Indexes, constraints and sequence positions that belong after the data. */
  void writePostData(Connection connection, List<TableInfo> tables, DumpSink out)
      throws SQLException, IOException;

  void writeFooter(DumpSink out) throws IOException;

  /** The content checksum of a table, computed exactly as {@link #writeTableData} does. */
  TableDigest digest(Connection connection, TableInfo table) throws SQLException;

  /** Makes sure the restore target database/schema exists, creating it if needed. */
  void ensureTarget(ConnectionSpec spec) throws SQLException;

  /** Tables, views and sequences already in the restore target. */
  List<String> existingObjects(Connection connection, ConnectionSpec spec) throws SQLException;

  void dropExisting(Connection connection, ConnectionSpec spec, Progress progress)
      throws SQLException;

  void prepareRestoreSession(Connection connection, ConnectionSpec spec) throws SQLException;

  /** Executes one dump statement; PostgreSQL reads the COPY data that follows from the reader. */
  void execute(Connection connection, String statement, StatementReader reader)
      throws SQLException, IOException;

  /** Work to do once every statement ran (PostgreSQL: commit the single restore transaction). */
  void finishRestore(Connection connection) throws SQLException;

  /** Privilege name -> present, for the privileges a backup needs. */
  Map<String, Boolean> backupPrivileges(Connection connection, ConnectionSpec spec)
      throws SQLException;

  Map<String, Boolean> restorePrivileges(Connection connection, ConnectionSpec spec)
      throws SQLException;

  /** Creates a database on the server of {@code server}; false when it already existed. */
  boolean createDatabase(ConnectionSpec server, String name) throws SQLException;

  void dropDatabase(ConnectionSpec server, String name) throws SQLException;

  String quoteIdentifier(String name);
}
