package io.metadataops.backup.sql;

import static io.metadataops.backup.sql.SqlLiterals.postgresIdentifier;
import static io.metadataops.backup.sql.SqlLiterals.postgresString;

import io.metadataops.backup.ConnectionSpec;
import io.metadataops.backup.DbScheme;
import io.metadataops.backup.Progress;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * PostgreSQL 13+: DDL rebuilt from the catalogs, data as COPY text blocks (what pg_dump writes and
 * psql loads), constraints and indexes after the data, sequence positions with setval.
 *
 * <p>The dump is schema-agnostic: names are unqualified (the backup session's search_path is the
 * source schema, so the catalog functions print them that way) and the restore chooses the target
 * schema with its search_path.
 */
public final class PostgresDialect implements Dialect {

  @Override
  public DbScheme scheme() {
    return DbScheme.POSTGRESQL;
  }

  @Override
  public SqlSyntax syntax() {
    return SqlSyntax.POSTGRESQL;
  }

  @Override
  public Connection connect(ConnectionSpec spec) throws SQLException {
    String db = spec.database() == null ? "postgres" : spec.database();
    StringBuilder url =
        new StringBuilder("jdbc:postgresql://")
            .append(spec.host())
            .append(':')
            .append(spec.port())
            .append('/')
            .append(db);
    if (!spec.params().isBlank()) {
      url.append('?').append(spec.params());
    }
    Properties props = new Properties();
    if (spec.user() != null) {
      props.setProperty("user", spec.user());
    }
    if (spec.password() != null) {
      props.setProperty("password", spec.password());
    }
    props.setProperty("ApplicationName", "metadataops-backup-engine");
    props.setProperty("connectTimeout", "15");
    Connection connection = DriverManager.getConnection(url.toString(), props);
    try (Statement st = connection.createStatement()) {
      // Text forms that do not depend on the server's or the client's settings.
      st.execute("SET TimeZone = 'UTC'");
      st.execute("SET DateStyle = 'ISO, YMD'");
      st.execute("SET IntervalStyle = 'postgres'");
      st.execute("SET extra_float_digits = 3");
      st.execute("SET standard_conforming_strings = on");
      st.execute(
          "SELECT pg_catalog.set_config('search_path', "
              + literal(postgresIdentifier(spec.schema()))
              + ", false)");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  @Override
  public ServerInfo serverInfo(Connection connection) throws SQLException {
    return new ServerInfo("postgresql", queryString(connection, "SHOW server_version"));
  }

  @Override
  public void beginSnapshot(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
  }

  @Override
  public List<TableInfo> tables(Connection connection, ConnectionSpec spec) throws SQLException {
    requireSchema(connection, spec.schema());
    List<TableInfo> tables = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT c.oid, c.relname, GREATEST(c.reltuples, 0)::bigint,"
                + " pg_catalog.pg_total_relation_size(c.oid)"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind = 'r' AND NOT c.relispartition"
                + " ORDER BY c.relname")) {
      ps.setString(1, spec.schema());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long oid = rs.getLong(1);
          tables.add(
              new TableInfo(
                  rs.getString(2), oid, List.of(), List.of(), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    List<TableInfo> complete = new ArrayList<>();
    for (TableInfo t : tables) {
      List<ColumnInfo> columns = new ArrayList<>();
      for (PgColumn c : columns(connection, t.id())) {
        columns.add(new ColumnInfo(c.name, c.type, !c.generated.isEmpty()));
      }
      complete.add(
          new TableInfo(
              t.name(), t.id(), List.copyOf(columns), List.of(), t.rowEstimate(), t.sizeBytes()));
    }
    return complete;
  }

  @Override
  public String changeLogQuery(TableInfo changeLog, boolean hasStatus) {
    return "SELECT "
        + postgresIdentifier(column(changeLog, "version"))
        + "::text, "
        + (hasStatus
            ? "COALESCE(" + postgresIdentifier(column(changeLog, "status")) + "::text, '')"
            : "NULL")
        + " FROM "
        + postgresIdentifier(changeLog.name());
  }

  @Override
  public void writeHeader(DumpSink out, ServerInfo server, ConnectionSpec spec) throws IOException {
    out.append("-- metadataops backup engine dump of schema ")
        .append(spec.schema())
        .append(" in database ")
        .append(spec.database())
        .append(" (PostgreSQL ")
        .append(server.version())
        .append(")\n-- Restore: psql -v ON_ERROR_STOP=1 -d <database> -f dump.sql")
        .append(" (into the schema first in search_path, e.g. PGOPTIONS='-c search_path=x')\n")
        .append("SET client_encoding = 'UTF8';\n")
        .append("SET standard_conforming_strings = on;\n")
        .append("SET TimeZone = 'UTC';\n")
        .append("SET DateStyle = 'ISO, YMD';\n")
        .append("SET IntervalStyle = 'postgres';\n")
        .append("SET check_function_bodies = false;\n")
        .append("SET client_min_messages = warning;\n\n");
  }

  @Override
  public void writeTableDefinitions(Connection connection, List<TableInfo> tables, DumpSink out)
      throws SQLException, IOException {
    Set<Long> oids = tables.stream().map(TableInfo::id).collect(Collectors.toSet());
    List<PgSequence> sequences = sequences(connection);
    // Sequences first: serial defaults (nextval('x_seq'::regclass)) need them to exist.
    for (PgSequence s : sequences) {
      if (s.identity || (s.ownerTable != 0 && !oids.contains(s.ownerTable))) {
        continue;
      }
      out.append(s.createStatement()).append(";\n");
    }
    for (TableInfo table : tables) {
      List<String> parts = new ArrayList<>();
      for (PgColumn c : columns(connection, table.id())) {
        parts.add(c.definition());
      }
      for (String[] check : constraints(connection, table.id(), "c")) {
        parts.add("CONSTRAINT " + postgresIdentifier(check[0]) + " " + check[1]);
      }
      out.append("\nCREATE TABLE ")
          .append(postgresIdentifier(table.name()))
          .append(" (\n    ")
          .append(String.join(",\n    ", parts))
          .append("\n);\n");
    }
    for (PgSequence s : sequences) {
      if (!s.identity && s.ownerTable != 0 && oids.contains(s.ownerTable)) {
        out.append("ALTER SEQUENCE ")
            .append(postgresIdentifier(s.name))
            .append(" OWNED BY ")
            .append(postgresIdentifier(s.ownerTableName))
            .append('.')
            .append(postgresIdentifier(s.ownerColumn))
            .append(";\n");
      }
    }
    out.append("\n");
  }

  @Override
  public TableDigest writeTableData(
      Connection connection, TableInfo table, DumpSink out, RowMeter meter)
      throws SQLException, IOException {
    List<ColumnInfo> columns = table.storedColumns();
    TableDigest digest = new TableDigest();
    if (columns.isEmpty()) {
      return digest;
    }
    String target = postgresIdentifier(table.name()) + " (" + columnList(columns) + ")";
    out.append("COPY ").append(target).append(" FROM stdin;\n");
    CopyOut copy =
        connection.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + target + " TO STDOUT");
    byte[] row;
    // The server sends one CopyData message per row: the row's text plus '\n'.
    while ((row = copy.readFromCopy()) != null) {
      digest.wholeRow(row, 0, row.length);
      out.write(row, 0, row.length);
      meter.add(1, row.length);
    }
    out.append("\\.\n\n");
    return digest;
  }

  @Override
  public void writePostData(Connection connection, List<TableInfo> tables, DumpSink out)
      throws SQLException, IOException {
    for (TableInfo table : tables) {
      for (String[] key : constraints(connection, table.id(), "pux")) {
        out.append(addConstraint(table, key));
      }
      try (Statement st = connection.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i"
                      + " WHERE i.indrelid = "
                      + table.id()
                      + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k"
                      + " WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid"
                      + " AND k.contype IN ('p','u','x'))"
                      + " ORDER BY 1")) {
        while (rs.next()) {
          out.append(rs.getString(1)).append(";\n");
        }
      }
    }
    for (TableInfo table : tables) {
      for (String[] fk : constraints(connection, table.id(), "f")) {
        out.append(addConstraint(table, fk));
      }
    }
    Set<Long> oids = tables.stream().map(TableInfo::id).collect(Collectors.toSet());
    for (PgSequence s : sequences(connection)) {
      if (s.ownerTable != 0 && !oids.contains(s.ownerTable)) {
        continue;
      }
      String position;
      try (Statement st = connection.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT last_value, is_called FROM " + postgresIdentifier(s.name))) {
        rs.next();
        position = rs.getLong(1) + ", " + rs.getBoolean(2);
      }
      String sequence =
          s.identity
              ? "pg_catalog.pg_get_serial_sequence("
                  + literal(postgresIdentifier(s.ownerTableName))
                  + ", "
                  + literal(s.ownerColumn)
                  + ")"
              : literal(postgresIdentifier(s.name));
      out.append("SELECT pg_catalog.setval(").append(sequence).append(", ").append(position);
      out.append(");\n");
    }
  }

  @Override
  public void writeFooter(DumpSink out) throws IOException {
    out.append("-- end of dump\n");
  }

  @Override
  public TableDigest digest(Connection connection, TableInfo table) throws SQLException {
    List<ColumnInfo> columns = table.storedColumns();
    TableDigest digest = new TableDigest();
    if (columns.isEmpty()) {
      return digest;
    }
    CopyOut copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyOut(
                "COPY "
                    + postgresIdentifier(table.name())
                    + " ("
                    + columnList(columns)
                    + ") TO STDOUT");
    byte[] row;
    while ((row = copy.readFromCopy()) != null) {
      digest.wholeRow(row, 0, row.length);
    }
    return digest;
  }

  @Override
  public void ensureTarget(ConnectionSpec spec) throws SQLException {
    try (Connection connection = connect(spec.withSchema("public"));
        Statement st = connection.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + postgresIdentifier(spec.schema()));
    }
  }

  @Override
  public List<String> existingObjects(Connection connection, ConnectionSpec spec)
      throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ?"
                + " AND c.relkind IN ('r','p','v','m','S','f') ORDER BY 1")) {
      ps.setString(1, spec.schema());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  @Override
  public void dropExisting(Connection connection, ConnectionSpec spec, Progress progress)
      throws SQLException {
    List<String[]> objects = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT c.relname, c.relkind FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r','p','v','m','S','f')"
                + " AND NOT c.relispartition ORDER BY c.relkind DESC")) {
      ps.setString(1, spec.schema());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          objects.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    try (Statement st = connection.createStatement()) {
      for (String[] object : objects) {
        String kind =
            switch (object[1]) {
              case "v" -> "VIEW";
              case "m" -> "MATERIALIZED VIEW";
              case "S" -> "SEQUENCE";
              case "f" -> "FOREIGN TABLE";
              default -> "TABLE";
            };
        progress.line("dropping existing " + kind.toLowerCase() + " " + object[0]);
        st.execute("DROP " + kind + " IF EXISTS " + postgresIdentifier(object[0]) + " CASCADE");
      }
    }
  }

  @Override
  public void prepareRestoreSession(Connection connection, ConnectionSpec spec)
      throws SQLException {
    // One transaction: a failed restore leaves the target as it was (PostgreSQL DDL is
    // transactional), and COPY into tables created in the same transaction is cheaper.
    connection.setAutoCommit(false);
  }

  @Override
  public void execute(Connection connection, String statement, StatementReader reader)
      throws SQLException, IOException {
    if (StatementReader.isCopyFromStdin(statement)) {
      copyIn(connection, statement, reader);
      return;
    }
    try (Statement st = connection.createStatement()) {
      st.setEscapeProcessing(false);
      st.execute(statement);
    }
  }

  private static void copyIn(Connection connection, String statement, StatementReader reader)
      throws SQLException, IOException {
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(statement);
    try {
      reader.copyData(copy::writeToCopy);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  @Override
  public void finishRestore(Connection connection) throws SQLException {
    connection.commit();
    connection.setAutoCommit(true);
  }

  @Override
  public Map<String, Boolean> backupPrivileges(Connection connection, ConnectionSpec spec)
      throws SQLException {
    Map<String, Boolean> result = new LinkedHashMap<>();
    result.put(
        "USAGE on schema " + spec.schema(),
        queryBoolean(
            connection,
            "SELECT pg_catalog.has_schema_privilege(" + literal(spec.schema()) + ", 'USAGE')"));
    result.put(
        "SELECT on all tables and sequences",
        queryBoolean(
            connection,
            "SELECT COALESCE(bool_and(CASE WHEN c.relkind = 'S'"
                + " THEN pg_catalog.has_sequence_privilege(c.oid, 'SELECT')"
                + " ELSE pg_catalog.has_table_privilege(c.oid, 'SELECT') END), true)"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = "
                + literal(spec.schema())
                + " AND c.relkind IN ('r','S')"));
    return result;
  }

  @Override
  public Map<String, Boolean> restorePrivileges(Connection connection, ConnectionSpec spec)
      throws SQLException {
    Map<String, Boolean> result = new LinkedHashMap<>();
    boolean schemaExists =
        queryBoolean(
            connection,
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = "
                + literal(spec.schema())
                + ")");
    if (schemaExists) {
      result.put(
          "CREATE on schema " + spec.schema(),
          queryBoolean(
              connection,
              "SELECT pg_catalog.has_schema_privilege(" + literal(spec.schema()) + ", 'CREATE')"));
    } else {
      result.put(
          "CREATE on database " + spec.database(),
          queryBoolean(
              connection,
              "SELECT pg_catalog.has_database_privilege(current_database(), 'CREATE')"));
    }
    return result;
  }

  @Override
  public boolean createDatabase(ConnectionSpec server, String name) throws SQLException {
    try (Connection connection = connect(server);
        Statement st = connection.createStatement()) {
      boolean exists =
          queryBoolean(
              connection,
              "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_database WHERE datname = "
                  + literal(name)
                  + ")");
      if (!exists) {
        st.execute("CREATE DATABASE " + postgresIdentifier(name));
      }
      return !exists;
    }
  }

  @Override
  public void dropDatabase(ConnectionSpec server, String name) throws SQLException {
    try (Connection connection = connect(server);
        Statement st = connection.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + postgresIdentifier(name) + " WITH (FORCE)");
    }
  }

  @Override
  public String quoteIdentifier(String name) {
    return postgresIdentifier(name);
  }

  /** A column as the catalogs describe it; {@code generated} is "s" for stored generated. */
  private record PgColumn(
      String name,
      String type,
      boolean notNull,
      String defaultExpression,
      String identity,
      String generated,
      String collation) {

    String definition() {
      StringBuilder sb = new StringBuilder(postgresIdentifier(name)).append(' ').append(type);
      if (collation != null) {
        sb.append(" COLLATE ").append(postgresIdentifier(collation));
      }
      if (!generated.isEmpty()) {
        sb.append(" GENERATED ALWAYS AS (").append(defaultExpression).append(") STORED");
      } else if (!identity.isEmpty()) {
        sb.append(identity.equals("a") ? " GENERATED ALWAYS" : " GENERATED BY DEFAULT");
        sb.append(" AS IDENTITY");
      } else if (defaultExpression != null) {
        sb.append(" DEFAULT ").append(defaultExpression);
      }
      if (notNull) {
        sb.append(" NOT NULL");
      }
      return sb.toString();
    }
  }

  private static List<PgColumn> columns(Connection connection, long tableOid) throws SQLException {
    List<PgColumn> columns = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),"
                    + " a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid),"
                    + " a.attidentity::text, a.attgenerated::text,"
                    + " CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0"
                    + " THEN co.collname END"
                    + " FROM pg_catalog.pg_attribute a"
                    + " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                    + " LEFT JOIN pg_catalog.pg_attrdef d"
                    + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
                    + " WHERE a.attrelid = "
                    + tableOid
                    + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
      while (rs.next()) {
        columns.add(
            new PgColumn(
                rs.getString(1),
                rs.getString(2),
                rs.getBoolean(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7)));
      }
    }
    return columns;
  }

  /** Constraints of the given types (p, u, x, f, c) as {name, definition}. */
  private static List<String[]> constraints(Connection connection, long tableOid, String types)
      throws SQLException {
    List<String[]> result = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT conname, pg_catalog.pg_get_constraintdef(oid)"
                + " FROM pg_catalog.pg_constraint WHERE conrelid = "
                + tableOid
                + " AND strpos(?, contype::text) > 0 ORDER BY contype DESC, conname")) {
      ps.setString(1, types);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return result;
  }

  private static String addConstraint(TableInfo table, String[] constraint) {
    return "ALTER TABLE ONLY "
        + postgresIdentifier(table.name())
        + " ADD CONSTRAINT "
        + postgresIdentifier(constraint[0])
        + " "
        + constraint[1]
        + ";\n";
  }

  /** A sequence of the schema; owner* are set for serial (deptype a) and identity (i). */
  private record PgSequence(
      String name,
      String type,
      long start,
      long increment,
      long min,
      long max,
      long cache,
      boolean cycle,
      long ownerTable,
      String ownerTableName,
      String ownerColumn,
      boolean identity) {

    String createStatement() {
      return "CREATE SEQUENCE "
          + postgresIdentifier(name)
          + " AS "
          + type
          + " INCREMENT BY "
          + increment
          + " MINVALUE "
          + min
          + " MAXVALUE "
          + max
          + " START WITH "
          + start
          + " CACHE "
          + cache
          + (cycle ? " CYCLE" : " NO CYCLE");
    }
  }

  private static List<PgSequence> sequences(Connection connection) throws SQLException {
    List<PgSequence> result = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart,"
                    + " s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
                    + " COALESCE(dep.refobjid, 0), tc.relname, a.attname,"
                    + " COALESCE(dep.deptype = 'i', false)"
                    + " FROM pg_catalog.pg_sequence s"
                    + " JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
                    + " LEFT JOIN pg_catalog.pg_depend dep"
                    + " ON dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid"
                    + " AND dep.refclassid = 'pg_catalog.pg_class'::regclass"
                    + " AND dep.deptype IN ('a', 'i')"
                    + " LEFT JOIN pg_catalog.pg_class tc ON tc.oid = dep.refobjid"
                    + " LEFT JOIN pg_catalog.pg_attribute a"
                    + " ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid"
                    + " WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace"
                    + " WHERE nspname = current_schema())"
                    + " ORDER BY c.relname")) {
      while (rs.next()) {
        result.add(
            new PgSequence(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getBoolean(8),
                rs.getLong(9),
                rs.getString(10),
                rs.getString(11),
                rs.getBoolean(12)));
      }
    }
    return result;
  }

  private static void requireSchema(Connection connection, String schema) throws SQLException {
    boolean exists =
        queryBoolean(
            connection,
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = "
                + literal(schema)
                + ")");
    if (!exists) {
      throw new SQLException("schema \"" + schema + "\" does not exist", "3F000");
    }
  }

  private static String column(TableInfo table, String name) {
    return table.columns().stream()
        .map(ColumnInfo::name)
        .filter(n -> n.equalsIgnoreCase(name))
        .findFirst()
        .orElse(name);
  }

  private static String columnList(List<ColumnInfo> columns) {
    return columns.stream().map(c -> postgresIdentifier(c.name())).collect(Collectors.joining(","));
  }

  static String literal(String value) {
    return postgresString(new StringBuilder(), value).toString();
  }

  private static String queryString(Connection connection, String sql) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
