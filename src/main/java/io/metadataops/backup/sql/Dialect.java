package io.metadataops.backup.sql;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.DbScheme;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.manifest.SchemaObject;
import io.metadataops.backup.manifest.SchemaVersions.ChangeLogRow;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What differs between MySQL/MariaDB and PostgreSQL. The engine drives the same sequence for both:
 * snapshot, header, table definitions, data, post-data DDL, footer; then on restore: plan, split,
 * classify and execute (in parallel where the kind of statement allows), digest, publish.
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

  /**
   * The sort buffer this session gets, in bytes, where the server has one (MySQL, MariaDB):
   * OpenMetadata's migrations fail with "Out of sort memory" below 20 MB. Read in the session, so
   * DB_PARAMS that set it per connection (as the server's own connections would) count.
   */
  default Optional<Long> sortBufferSize(Connection connection) throws SQLException {
    return Optional.empty();
  }

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
  default String changeLogQuery(TableInfo changeLog, boolean hasStatus) {
    return "SELECT "
        + asText(quoteIdentifier(changeLog.column("version")))
        + ", "
        + (hasStatus
            ? "COALESCE(" + asText(quoteIdentifier(changeLog.column("status"))) + ", '')"
            : "NULL")
        + " FROM "
        + quoteIdentifier(changeLog.name());
  }

  /** A column read as text in a query of this dialect. */
  default String asText(String column) {
    return column;
  }

  /**
   * The dump's first lines: what it holds and how the database's own client restores it, then the
   * session settings it is written for, each a statement of its own.
   */
  default void writeHeader(DumpSink out, ServerInfo server, ConnectionSpec spec)
      throws IOException {
    out.append("-- metadataops backup engine dump of ")
        .append(dumpOf(server, spec))
        .append("\n-- Restore: ")
        .append(restoreCommand())
        .append('\n');
    for (String setting : sessionSettings()) {
      out.append(setting).append(";\n");
    }
    out.append('\n');
  }

  /** For the header: what was dumped from which server. */
  String dumpOf(ServerInfo server, ConnectionSpec spec);

  /** For the header: the database client's command that restores the dump. */
  String restoreCommand();

  /** The SET statements (without ';') that start a dump. */
  List<String> sessionSettings();

  /**
   * The schema objects besides tables that a backup of {@code tables} carries, and those it cannot
   * carry (each with the reason): read once per backup, in its snapshot, before anything is
   * written.
   */
  SchemaCatalog schemaObjects(Connection connection, ConnectionSpec spec, List<TableInfo> tables)
      throws SQLException;

  /** What {@link #schemaObjects} found. */
  record SchemaCatalog(List<SchemaObject> objects, List<String> unsupported) {}

  /**
   * The schema objects present in {@code spec}'s database/schema after a restore, named as {@link
   * #schemaObjects} names them.
   */
  List<SchemaObject> presentObjects(Connection connection, ConnectionSpec spec) throws SQLException;

  /**
   * Refuses (UNSUPPORTED), before the target is touched, a restore whose objects need what the
   * target server lacks (PostgreSQL: an extension that is not available).
   */
  default void requireSupported(Connection connection, List<SchemaObject> objects)
      throws SQLException {}

  void writeTableDefinitions(Connection connection, List<TableInfo> tables, DumpSink out)
      throws SQLException, IOException;

  /**
   * Opens up to {@code count} more connections that read the same snapshot as {@code connection}
   * (after {@link #beginSnapshot} and a first query), so that big tables are read in parallel; none
   * where the engine cannot share a snapshot.
   */
  default List<Connection> shareSnapshot(Connection connection, ConnectionSpec spec, int count)
      throws SQLException {
    return List.of();
  }

  /** Writes a table's rows; {@code helpers} (see {@link #shareSnapshot}) may read parts of it. */
  TableDigest writeTableData(
      Connection connection,
      List<Connection> helpers,
      TableInfo table,
      DumpSink out,
      RowMeter meter)
      throws SQLException, IOException;

  /** Indexes, constraints and sequence positions that belong after the data. */
  void writePostData(Connection connection, List<TableInfo> tables, DumpSink out)
      throws SQLException, IOException;

  void writeFooter(DumpSink out) throws IOException;

  /**
   * The content checksum of a table, computed exactly as {@link #writeTableData} does when it
   * writes with {@code algorithm}.
   */
  default TableDigest digest(Connection connection, TableInfo table, ChecksumAlgorithm algorithm)
      throws SQLException {
    return digest(connection, table, 0, 1, algorithm);
  }

  /**
   * The checksum of one of {@code parts} disjoint parts of a table (see {@link #digestParts}); the
   * parts' digests {@linkplain TableDigest#add add up} to the table's.
   */
  TableDigest digest(
      Connection connection, TableInfo table, int part, int parts, ChecksumAlgorithm algorithm)
      throws SQLException;

  /**
   * The sizes of {@code table}'s rows and values (see {@link ValueSizes}), found by reading the
   * whole table: a diagnosis after a row was too big to read, never on the way of a backup.
   */
  default ValueSizes valueSizes(Connection connection, TableInfo table) throws SQLException {
    List<ColumnInfo> columns = table.storedColumns();
    StringBuilder lengths = new StringBuilder();
    StringBuilder maxima = new StringBuilder();
    StringBuilder row = new StringBuilder("0");
    for (int i = 0; i < columns.size(); i++) {
      lengths
          .append(i == 0 ? "" : ", ")
          .append("octet_length(")
          .append(asText(quoteIdentifier(columns.get(i).name())))
          .append(") l")
          .append(i);
      maxima.append("MAX(l").append(i).append("), ");
      row.append(" + COALESCE(l").append(i).append(", 0)");
    }
    String[] max =
        Jdbc.queryRow(
            connection,
            "SELECT "
                + maxima
                + "MAX("
                + row
                + ") FROM (SELECT "
                + lengths
                + " FROM "
                + quoteIdentifier(table.name())
                + ") s",
            columns.size() + 1);
    Map<String, Long> values = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      values.put(columns.get(i).name(), max[i] == null ? 0 : Long.parseLong(max[i]));
    }
    long largestRow = max[columns.size()] == null ? 0 : Long.parseLong(max[columns.size()]);
    return new ValueSizes(largestRow, values);
  }

  /** Into how many parts (at most {@code wanted}) {@link #digest} can split a table. */
  default int digestParts(Connection connection, TableInfo table, int wanted) throws SQLException {
    return 1;
  }

  /** Makes sure the restore target database/schema exists, creating it if needed. */
  void ensureTarget(ConnectionSpec spec) throws SQLException;

  /** Tables, views and sequences already in the restore target. */
  List<String> existingObjects(Connection connection, ConnectionSpec spec) throws SQLException;

  void dropExisting(Connection connection, ConnectionSpec spec, Progress progress)
      throws SQLException;

  /**
   * True when nothing a restore loads is visible in the target before {@link #publish}: a dump can
   * then be checked while it is loaded instead of in a pass before.
   */
  boolean stagesRestore();

  /**
   * Prepares a restore into {@code target} over {@code main} (which stays open until publish or
   * discard); {@code dropExisting}: the target's objects are to be replaced; {@code workers}: how
   * many parallel connections the restore may use to load.
   */
  RestorePlan planRestore(
      Connection main, ConnectionSpec target, boolean dropExisting, int workers, Progress progress)
      throws SQLException;

  /** How the restore treats a statement; a statement this engine never writes is a format error. */
  StatementKind classify(String statement) throws DumpFormatException;

  /** Executes one dump statement other than {@link StatementKind#COPY}. */
  void execute(Connection connection, String statement) throws SQLException;

  /**
   * True when a failed {@link StatementKind#ROWS} statement had no effect and may simply run again
   * (MySQL: InnoDB deadlock or lock wait timeout between parallel inserts into one table).
   */
  default boolean retryable(SQLException e) {
    return false;
  }

  /**
   * Starts a {@link StatementKind#COPY} statement; its data rows are then written to the stream.
   */
  default RowStream copyIn(Connection connection, String copyStatement) throws SQLException {
    throw new UnsupportedOperationException(scheme().id() + " dumps have no COPY data");
  }

  /**
   * The table a {@link StatementKind#COPY} statement loads, as the manifest names it; empty when
   * the statement does not say it plainly.
   */
  default Optional<String> copyTable(String copyStatement) {
    return Optional.empty();
  }

  /** Rows in COPY text form on their way into a table. */
  interface RowStream {
    void write(byte[] data, int offset, int length) throws SQLException;

    void end() throws SQLException;

    /** Abandons the rows written so far; never throws. */
    void cancel();
  }

  /** Makes what the plan loaded (and the restore checked) the target's content. */
  void publish(Connection main, ConnectionSpec target, RestorePlan plan, Progress progress)
      throws SQLException;

  /** Removes what a failed restore loaded where that is possible; never throws. */
  void discard(Connection main, RestorePlan plan);

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
