package io.metadataops.backup.sql;

import static io.metadataops.backup.sql.SqlLiterals.postgresIdentifier;
import static io.metadataops.backup.sql.SqlLiterals.postgresString;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.DbScheme;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.manifest.SchemaObject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * Set by a staged restore: the target schema, where extensions are created and which follows the
   * staging schema in the loading connections' search_path (so the extensions' types resolve).
   */
  private String extensionSchema;

  /** Read by {@link #schemaObjects} for the backup being written. */
  private PostgresSchema schemaObjects;

  @Override
  public Connection connect(ConnectionSpec spec) throws SQLException {
    String searchPath = postgresIdentifier(spec.schema());
    if (extensionSchema != null && !extensionSchema.equals(spec.schema())) {
      searchPath += ", " + postgresIdentifier(extensionSchema);
    }
    return Jdbc.connect(
        "postgresql",
        spec,
        spec.database() == null ? "postgres" : spec.database(),
        DRIVER_PROPERTIES,
        List.of(
            // Text forms that do not depend on the server's or the client's settings.
            "SET TimeZone = 'UTC'",
            "SET DateStyle = 'ISO, YMD'",
            "SET IntervalStyle = 'postgres'",
            "SET extra_float_digits = 3",
            "SET standard_conforming_strings = on",
            "SELECT pg_catalog.set_config('search_path', " + literal(searchPath) + ", false)"));
  }

  private static final Properties DRIVER_PROPERTIES = new Properties();

  static {
    DRIVER_PROPERTIES.setProperty("ApplicationName", "metadataops-backup-engine");
    DRIVER_PROPERTIES.setProperty("connectTimeout", "15");
    // A restore's main connection waits, idle, while the others load (it holds the restore's
    // lock and publishes at the end): keepalives keep idle-timeout middleboxes from cutting it.
    DRIVER_PROPERTIES.setProperty("tcpKeepAlive", "true");
  }

  @Override
  public ServerInfo serverInfo(Connection connection) throws SQLException {
    return new ServerInfo("postgresql", Jdbc.queryString(connection, "SHOW server_version"));
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
  public String asText(String column) {
    return column + "::text";
  }

  @Override
  public String dumpOf(ServerInfo server, ConnectionSpec spec) {
    return "schema "
        + spec.schema()
        + " in database "
        + spec.database()
        + " (PostgreSQL "
        + server.version()
        + ")";
  }

  @Override
  public String restoreCommand() {
    return "psql -v ON_ERROR_STOP=1 -d <database> -f dump.sql"
        + " (into the schema first in search_path, e.g. PGOPTIONS='-c search_path=x')";
  }

  @Override
  public List<String> sessionSettings() {
    return HEADER_SETTINGS;
  }

  private static final List<String> HEADER_SETTINGS =
      List.of(
          "SET client_encoding = 'UTF8'",
          "SET standard_conforming_strings = on",
          "SET TimeZone = 'UTC'",
          "SET DateStyle = 'ISO, YMD'",
          "SET IntervalStyle = 'postgres'",
          "SET check_function_bodies = false",
          "SET client_min_messages = warning");

  @Override
  public void writeTableDefinitions(Connection connection, List<TableInfo> tables, DumpSink out)
      throws SQLException, IOException {
    Set<Long> oids = tables.stream().map(TableInfo::id).collect(Collectors.toSet());
    // Extensions, types, domains and the functions defaults and checks call: before the tables.
    for (String statement : schemaObjects(connection, tables).preData()) {
      out.append(statement).append(";\n\n");
    }
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
          .append("\n)")
          .append(storageOptions(connection, table))
          .append(";\n");
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

  /**
   * The table's storage parameters ({@code fillfactor}, per-table autovacuum thresholds, and those
   * of its TOAST table) as a {@code WITH (...)} clause, or "". (autovacuum_enabled is refused by
   * {@link PostgresSchema}: a staged restore turns it off while it loads and resets it.)
   */
  private static String storageOptions(Connection connection, TableInfo table) throws SQLException {
    List<String> options =
        Jdbc.queryStrings(
            connection,
            "SELECT o FROM pg_catalog.pg_class c, pg_catalog.unnest(c.reloptions) o"
                + " WHERE c.oid = ?::oid"
                + " UNION ALL SELECT 'toast.' || o FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid,"
                + " pg_catalog.unnest(t.reloptions) o WHERE c.oid = ?::oid",
            String.valueOf(table.id()),
            String.valueOf(table.id()));
    if (options.isEmpty()) {
      return "";
    }
    List<String> quoted = new ArrayList<>();
    for (String option : options) {
      int eq = option.indexOf('=');
      quoted.add(option.substring(0, eq) + " = " + literal(option.substring(eq + 1)));
    }
    return " WITH (" + String.join(", ", quoted) + ")";
  }

  /**
   * Tables over this size are read in page ranges over the connections sharing the snapshot (the
   * system property lowers it in tests, so that small tables take that path too).
   */
  public static final String PARALLEL_TABLE_BYTES_PROPERTY =
      "metadataops.backup.parallelTableBytes";

  private static long parallelTableBytes() {
    return Long.getLong(PARALLEL_TABLE_BYTES_PROPERTY, 64L * 1024 * 1024);
  }

  @Override
  public List<Connection> shareSnapshot(Connection connection, ConnectionSpec spec, int count)
      throws SQLException {
    // Page ranges need TID range scans (PostgreSQL 14+) to read only their pages.
    if (count == 0 || Jdbc.queryLong(connection, "SHOW server_version_num") < 140000) {
      return List.of();
    }
    String snapshot = Jdbc.queryString(connection, "SELECT pg_catalog.pg_export_snapshot()");
    List<Connection> helpers = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Connection helper = connect(spec);
        helpers.add(helper);
        helper.setAutoCommit(false);
        try (Statement st = helper.createStatement()) {
          st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          st.execute("SET TRANSACTION SNAPSHOT " + literal(snapshot));
        }
      }
    } catch (SQLException e) {
      for (Connection helper : helpers) {
        helper.close();
      }
      throw e;
    }
    return helpers;
  }

  @Override
  public TableDigest writeTableData(
      Connection connection,
      List<Connection> helpers,
      TableInfo table,
      DumpSink out,
      RowMeter meter)
      throws SQLException, IOException {
    List<ColumnInfo> columns = table.storedColumns();
    if (columns.isEmpty()) {
      return new TableDigest(ChecksumAlgorithm.CURRENT);
    }
    String target = postgresIdentifier(table.name()) + " (" + columnList(columns) + ")";
    out.append("COPY ").append(target).append(" FROM stdin;\n");
    List<Connection> readers = new ArrayList<>(List.of(connection));
    if (table.sizeBytes() >= parallelTableBytes()) {
      readers.addAll(helpers);
    }
    // Two parts per reader: a reader that finishes early takes another.
    int parts = readers.size() == 1 ? 1 : readers.size() * 2;
    // Read once: a concurrent writer grows the table, and ranges from two sizes leave a gap.
    long pages = parts == 1 ? 0 : pages(connection, table);
    List<String> queries = new ArrayList<>();
    for (int part = 0; part < parts; part++) {
      queries.add("COPY " + copySource(table, columns, pages, part, parts) + " TO STDOUT");
    }
    TableDigest digest = ParallelCopyOut.copy(readers, queries, out, meter);
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
          out.append(unqualifiedIndexDefinition(rs.getString(1))).append(";\n");
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
    // Views (a view over a view after its base), materialized views refreshed now that the rows
    // are in, then triggers (which must not fire on the restored rows), then comments.
    PostgresSchema objects = schemaObjects(connection, tables);
    for (String statement : objects.postData()) {
      out.append("\n").append(statement).append(";\n");
    }
    for (String statement : objects.comments()) {
      out.append(statement).append(";\n");
    }
  }

  private PostgresSchema schemaObjects(Connection connection, List<TableInfo> tables)
      throws SQLException {
    if (schemaObjects == null) {
      Map<Long, String> carried = new java.util.HashMap<>();
      for (TableInfo table : tables) {
        carried.put(table.id(), postgresIdentifier(table.name()));
      }
      schemaObjects =
          PostgresSchema.read(
              connection, Jdbc.queryString(connection, "SELECT current_schema()"), carried);
    }
    return schemaObjects;
  }

  @Override
  public SchemaCatalog schemaObjects(
      Connection connection, ConnectionSpec spec, List<TableInfo> tables) throws SQLException {
    PostgresSchema objects = schemaObjects(connection, tables);
    List<SchemaObject> all = new ArrayList<>(objects.objects());
    Set<Long> oids = tables.stream().map(TableInfo::id).collect(Collectors.toSet());
    for (PgSequence s : sequences(connection)) {
      if (!s.identity && (s.ownerTable == 0 || oids.contains(s.ownerTable))) {
        all.add(new SchemaObject(PostgresSchema.SEQUENCE, postgresIdentifier(s.name)));
      }
    }
    java.util.Collections.sort(all);
    return new SchemaCatalog(List.copyOf(all), List.copyOf(objects.unsupported()));
  }

  @Override
  public List<SchemaObject> presentObjects(Connection connection, ConnectionSpec spec)
      throws SQLException {
    Map<Long, String> tables = new java.util.HashMap<>();
    for (String[] row :
        Jdbc.queryRows(
            connection,
            "SELECT c.oid::text, c.relname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p')",
            2,
            spec.schema())) {
      tables.put(Long.parseLong(row[0]), postgresIdentifier(row[1]));
    }
    List<SchemaObject> present =
        new ArrayList<>(PostgresSchema.read(connection, spec.schema(), tables).objects());
    // Extensions are the database's: installed in the target schema, not the staging one.
    for (String extension :
        Jdbc.queryStrings(connection, "SELECT extname FROM pg_catalog.pg_extension")) {
      present.add(new SchemaObject(PostgresSchema.EXTENSION, extension));
    }
    for (String sequence : relations(connection, spec.schema(), "S")) {
      present.add(new SchemaObject(PostgresSchema.SEQUENCE, postgresIdentifier(sequence)));
    }
    return present;
  }

  @Override
  public void requireSupported(Connection connection, List<SchemaObject> objects)
      throws SQLException {
    List<String> missing = new ArrayList<>();
    for (SchemaObject object : objects) {
      if (object.kind().equals(PostgresSchema.EXTENSION)
          && !Jdbc.queryBoolean(
              connection,
              "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = "
                  + literal(object.name())
                  + ")")) {
        missing.add(object.name());
      }
    }
    EngineException.refuseAny(
        ErrorCode.UNSUPPORTED,
        missing,
        "the backup's schema uses the extension(s) ",
        ", ",
        ", which the target server does not have: install them on the database server"
            + " (e.g. the postgresql-contrib package) and restore again");
  }

  @Override
  public void writeFooter(DumpSink out) throws IOException {
    out.append("-- end of dump\n");
  }

  @Override
  public TableDigest digest(
      Connection connection, TableInfo table, int part, int parts, ChecksumAlgorithm algorithm)
      throws SQLException {
    List<ColumnInfo> columns = table.storedColumns();
    TableDigest digest = new TableDigest(algorithm);
    if (columns.isEmpty()) {
      return digest;
    }
    CopyOut copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyOut(
                "COPY "
                    + copySource(
                        table, columns, parts == 1 ? 0 : pages(connection, table), part, parts)
                    + " TO STDOUT");
    byte[] row;
    while ((row = copy.readFromCopy()) != null) {
      digest.wholeRow(row, 0, row.length);
    }
    return digest;
  }

  /**
   * What COPY ... TO STDOUT reads for one of {@code parts} parts of a table of {@code pages} pages:
   * the whole table, or a range of its pages (a TID range scan reads only those pages), the last
   * range open-ended so that pages added since are read too; the rows' text is the same.
   */
  private static String copySource(
      TableInfo table, List<ColumnInfo> columns, long pages, int part, int parts) {
    if (parts == 1) {
      return postgresIdentifier(table.name()) + " (" + columnList(columns) + ")";
    }
    long from = pages * part / parts;
    long to = pages * (part + 1) / parts;
    return "(SELECT "
        + columnList(columns)
        + " FROM "
        + postgresIdentifier(table.name())
        + " WHERE ctid >= '("
        + from
        + ",0)'::tid"
        + (part == parts - 1 ? "" : " AND ctid < '(" + to + ",0)'::tid")
        + ")";
  }

  /** The table's size in pages now: not bound by the snapshot, it grows under a writer. */
  private static long pages(Connection connection, TableInfo table) throws SQLException {
    return Jdbc.queryLong(
        connection,
        "SELECT pg_catalog.pg_relation_size("
            + table.id()
            + ") / pg_catalog.current_setting('block_size')::bigint");
  }

  @Override
  public int digestParts(Connection connection, TableInfo table, int wanted) throws SQLException {
    // Page ranges: TID range scans (PostgreSQL 14+) read only their pages; before, each part
    // would scan the whole table.
    return Jdbc.queryLong(connection, "SHOW server_version_num") >= 140000 ? wanted : 1;
  }

  @Override
  public void ensureTarget(ConnectionSpec spec) throws SQLException {
    try (Connection connection = connect(spec.withSchema("public"));
        Statement st = connection.createStatement()) {
      // Only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even then.
      if (!schemaExists(connection, spec.schema())) {
        st.execute("CREATE SCHEMA IF NOT EXISTS " + postgresIdentifier(spec.schema()));
      }
    }
  }

  @Override
  public List<String> existingObjects(Connection connection, ConnectionSpec spec)
      throws SQLException {
    return Jdbc.queryStrings(
        connection,
        "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE n.nspname = ?"
            + " AND c.relkind IN ('r','p','v','m','S','f')"
            + NOT_EXTENSION_CLASS
            + " UNION ALL SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?"
            + NOT_EXTENSION_PROC
            + " UNION ALL SELECT t.typname FROM pg_catalog.pg_type t"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ?"
            + USER_TYPE
            + " ORDER BY 1",
        spec.schema(),
        spec.schema(),
        spec.schema());
  }

  private static final String NOT_EXTENSION_CLASS =
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid ="
          + " 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')";

  /** Routines of their own: not an extension's, nor a range type's constructors. */
  private static final String NOT_EXTENSION_PROC =
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid ="
          + " 'pg_catalog.pg_proc'::regclass AND e.objid = p.oid AND e.deptype IN ('e', 'i'))";

  /** Enums, ranges, composite types and domains of their own (not array, row or member types). */
  private static final String USER_TYPE =
      " AND t.typtype IN ('e','r','c','d') AND (t.typrelid = 0 OR (SELECT r.relkind"
          + " FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid) = 'c')"
          + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid ="
          + " 'pg_catalog.pg_type'::regclass AND e.objid = t.oid AND e.deptype IN ('e', 'i'))";

  @Override
  public void dropExisting(Connection connection, ConnectionSpec spec, Progress progress)
      throws SQLException {
    List<String[]> objects =
        Jdbc.queryRows(
            connection,
            "SELECT c.relname, c.relkind FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r','p','v','m','S','f')"
                + " AND NOT c.relispartition"
                + NOT_EXTENSION_CLASS
                + " ORDER BY c.relkind DESC",
            2,
            spec.schema());
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
      // Routines and types: qualified, as the connection's search_path may not be the schema.
      String schema = postgresIdentifier(spec.schema());
      for (String routine :
          Jdbc.queryStrings(
              connection,
              "SELECT "
                  + literal(schema)
                  + " || '.' || pg_catalog.quote_ident(p.proname) || '('"
                  + " || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'"
                  + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n"
                  + " ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.prokind IN ('f', 'p')"
                  + NOT_EXTENSION_PROC,
              spec.schema())) {
        progress.line("dropping existing routine " + routine);
        st.execute("DROP ROUTINE IF EXISTS " + routine + " CASCADE");
      }
      for (String[] type :
          Jdbc.queryRows(
              connection,
              "SELECT t.typname, t.typtype::text FROM pg_catalog.pg_type t"
                  + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                  + " WHERE n.nspname = ?"
                  + USER_TYPE,
              2,
              spec.schema())) {
        String kind = type[1].equals("d") ? "DOMAIN" : "TYPE";
        progress.line("dropping existing " + kind.toLowerCase() + " " + type[0]);
        st.execute(
            "DROP "
                + kind
                + " IF EXISTS "
                + schema
                + "."
                + postgresIdentifier(type[0])
                + " CASCADE");
      }
    }
  }

  @Override
  public boolean stagesRestore() {
    return true;
  }

  /**
   * Loads into a staging schema of the target database over parallel connections; {@link #publish}
   * moves its tables and sequences into the target schema in one transaction. Without the right to
   * create a schema: one transaction on the main connection, in the target schema. Either way
   * nothing is visible in the target until everything is loaded and checked.
   */
  @Override
  public RestorePlan planRestore(
      Connection main, ConnectionSpec target, boolean dropExisting, int workers, Progress progress)
      throws SQLException {
    // One restore per target schema at a time (held until the main connection closes); it also
    // makes a staging schema of the same name a leftover of a killed restore, safe to drop.
    if (!Jdbc.queryBoolean(
        main,
        "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('metadataops-restore'),"
            + " pg_catalog.hashtext("
            + literal(target.schema())
            + "))")) {
      throw new EngineException(
          ErrorCode.TARGET_NOT_EMPTY,
          "another restore into schema "
              + target.schema()
              + " of database "
              + target.database()
              + " is running: wait for it to finish");
    }
    String staging = stagingSchema(target.schema());
    if (workers > 0) {
      try (Statement st = main.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + postgresIdentifier(staging) + " CASCADE");
        st.execute("CREATE SCHEMA " + postgresIdentifier(staging));
        st.execute(
            "COMMENT ON SCHEMA "
                + postgresIdentifier(staging)
                + " IS "
                + literal(
                    "metadataops restore into schema "
                        + target.schema()
                        + " in progress; moved into it once complete, or left by a restore that"
                        + " was killed (dropped by the next restore into it)"));
        extensionSchema = target.schema();
        return new RestorePlan(target.withSchema(staging), workers, false, staging, dropExisting);
      } catch (SQLException e) {
        if (!"42501".equals(e.getSQLState())) {
          throw e;
        }
        progress.line(
            "cannot create staging schema "
                + staging
                + " ("
                + SqlErrors.firstLine(e.getMessage())
                + "): restoring in one transaction over one connection");
      }
    }
    main.setAutoCommit(false);
    if (dropExisting) {
      dropExisting(main, target, progress);
    }
    return new RestorePlan(target, 0, true, null, dropExisting);
  }

  /** The staging schema of a restore into {@code schema}: fixed, so a leftover is found again. */
  public static String stagingSchema(String schema) {
    return String.format("metadataops_restore_%08x", schema.hashCode());
  }

  private static final Pattern SET_STATEMENT =
      Pattern.compile("(?is)^SET\\s+(\\w+)\\s*(=|TO\\s).*");

  /** The settings a restore accepts: those the header sets. */
  private static final Set<String> SESSION_SETTINGS =
      HEADER_SETTINGS.stream()
          .map(SET_STATEMENT::matcher)
          .filter(Matcher::matches)
          .map(m -> m.group(1).toLowerCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableSet());

  private static final Pattern INDEX_STATEMENT =
      Pattern.compile(
          "(?is)^(CREATE\\s+(UNIQUE\\s+)?INDEX\\s|ALTER\\s+TABLE\\s+ONLY\\s.*\\sADD\\s+CONSTRAINT\\s"
              + "(\"(?:[^\"]|\"\")*\"|\\S+)\\s+(PRIMARY\\s+KEY|UNIQUE|EXCLUDE)\\b).*");

  private static final Pattern SERIAL_STATEMENT =
      Pattern.compile(
          "(?is)^(CREATE\\s+(TABLE|SEQUENCE|TYPE|DOMAIN|VIEW|MATERIALIZED\\s+VIEW"
              + "|(CONSTRAINT\\s+)?TRIGGER|OR\\s+REPLACE\\s+(FUNCTION|PROCEDURE))\\s"
              + "|CREATE\\s+EXTENSION\\s+IF\\s+NOT\\s+EXISTS\\s"
              + "|REFRESH\\s+MATERIALIZED\\s+VIEW\\s|COMMENT\\s+ON\\s"
              + "|ALTER\\s+(SEQUENCE|TABLE\\s+ONLY)\\s"
              + "|SELECT\\s+pg_catalog\\.setval\\().*");

  /** How {@link PostgresSchema} creates an extension installed in the dumped schema. */
  private static final Pattern CREATE_EXTENSION_HERE =
      Pattern.compile(
          "(?is)^CREATE\\s+EXTENSION\\s+IF\\s+NOT\\s+EXISTS\\s+(\"(?:[^\"]|\"\")+\")\\s*");

  /**
   * Only what {@link #writeHeader} ... {@link #writePostData} write is executed: an altered dump is
   * detected only after it was loaded, so it must not be able to reach beyond the restore (no
   * transaction control, no other settings, no other statements).
   */
  @Override
  public StatementKind classify(String statement) throws DumpFormatException {
    var set = SET_STATEMENT.matcher(statement);
    if (set.matches() && SESSION_SETTINGS.contains(set.group(1).toLowerCase(Locale.ROOT))) {
      return StatementKind.SESSION;
    }
    if (StatementReader.isCopyFromStdin(statement)) {
      return StatementKind.COPY;
    }
    if (INDEX_STATEMENT.matcher(statement).matches()) {
      return StatementKind.INDEX;
    }
    if (SERIAL_STATEMENT.matcher(statement).matches()) {
      return StatementKind.SERIAL;
    }
    throw new DumpFormatException(
        "unexpected statement in a PostgreSQL dump of this engine: "
            + (statement.length() > 80 ? statement.substring(0, 80) + "…" : statement));
  }

  @Override
  public void execute(Connection connection, String statement) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.setEscapeProcessing(false);
      var extension = CREATE_EXTENSION_HERE.matcher(statement);
      if (extension.matches() && extensionSchema != null) {
        // Staged: the extension goes where the tables will be, not into the staging schema.
        statement = statement.strip() + " WITH SCHEMA " + postgresIdentifier(extensionSchema);
      }
      // Dumps of earlier versions carry the source schema in index definitions.
      st.execute(unqualifiedIndexDefinition(statement));
      var created = CREATE_TABLE.matcher(statement);
      if (created.matches() && connection.getAutoCommit()) {
        // A committed table is autovacuum's as soon as its rows are in: vacuuming it while the
        // restore still loads and checks it takes CPU the restore needs, and every index build or
        // the publish that needs a stronger lock first waits deadlock_timeout (1 s) for the
        // autovacuum to be cancelled. Publish turns it back on. (Inside the one-transaction
        // restore autovacuum cannot see the table yet.)
        st.execute("ALTER TABLE " + created.group(1) + " SET (" + AUTOVACUUM_OFF + ")");
      }
    }
  }

  private static final Pattern CREATE_TABLE =
      Pattern.compile("(?s)^\\s*CREATE\\s+TABLE\\s+(\"(?:[^\"]|\"\")+\")\\s*\\(.*");

  private static final String AUTOVACUUM_OFF =
      "autovacuum_enabled = false, toast.autovacuum_enabled = false";
  private static final String AUTOVACUUM_SETTINGS = "autovacuum_enabled, toast.autovacuum_enabled";

  /** How {@link #writeTableData} starts a COPY block: the table's quoted name, then columns. */
  private static final Pattern COPY_TABLE =
      Pattern.compile("(?s)^\\s*COPY\\s+\"((?:[^\"]|\"\")+)\"\\s*\\(.*");

  @Override
  public Optional<String> copyTable(String copyStatement) {
    var m = COPY_TABLE.matcher(copyStatement);
    return m.matches() ? Optional.of(m.group(1).replace("\"\"", "\"")) : Optional.empty();
  }

  @Override
  public RowStream copyIn(Connection connection, String copyStatement) throws SQLException {
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copyStatement);
    return new RowStream() {
      @Override
      public void write(byte[] data, int offset, int length) throws SQLException {
        copy.writeToCopy(data, offset, length);
      }

      @Override
      public void end() throws SQLException {
        copy.endCopy();
      }

      @Override
      public void cancel() {
        try {
          if (copy.isActive()) {
            copy.cancelCopy();
          }
        } catch (SQLException ignored) {
          // the connection is being given up anyway
        }
      }
    };
  }

  @Override
  public void publish(Connection main, ConnectionSpec target, RestorePlan plan, Progress progress)
      throws SQLException {
    if (plan.singleTransaction()) {
      main.commit();
      main.setAutoCommit(true);
      return;
    }
    String staging = postgresIdentifier(plan.stagingSchema());
    String schema = postgresIdentifier(target.schema());
    main.setAutoCommit(false);
    try (Statement st = main.createStatement()) {
      List<String> existing = existingObjects(main, target);
      if (!existing.isEmpty()) {
        if (!plan.dropExisting()) {
          throw new EngineException(
              ErrorCode.TARGET_NOT_EMPTY,
              "objects appeared in schema "
                  + target.schema()
                  + " while the restore ran (e.g. "
                  + existing.get(0)
                  + "): restore into an empty schema or pass --drop-existing");
        }
        dropExisting(main, target, progress);
      }
      progress.line(
          "moving the restored tables from " + plan.stagingSchema() + " into " + target.schema());
      // Tables take their indexes, constraints and owned (serial, identity) sequences along.
      for (String table : relations(main, plan.stagingSchema(), "r")) {
        st.execute(
            "ALTER TABLE " + staging + "." + postgresIdentifier(table) + " SET SCHEMA " + schema);
        st.execute(
            "ALTER TABLE "
                + schema
                + "."
                + postgresIdentifier(table)
                + " RESET ("
                + AUTOVACUUM_SETTINGS
                + ")");
      }
      for (String sequence : relations(main, plan.stagingSchema(), "S")) {
        st.execute(
            "ALTER SEQUENCE "
                + staging
                + "."
                + postgresIdentifier(sequence)
                + " SET SCHEMA "
                + schema);
      }
      moveObjects(main, st, plan.stagingSchema(), schema);
      st.execute("DROP SCHEMA " + staging); // RESTRICT: fails rather than lose anything left
      main.commit();
    } catch (SQLException | RuntimeException e) {
      main.rollback();
      throw e;
    } finally {
      main.setAutoCommit(true);
    }
  }

  /** Views, materialized views, types, domains and routines follow the tables. */
  private static void moveObjects(Connection main, Statement st, String staging, String schema)
      throws SQLException {
    String from = postgresIdentifier(staging) + ".";
    for (String view : relations(main, staging, "v")) {
      st.execute("ALTER VIEW " + from + postgresIdentifier(view) + " SET SCHEMA " + schema);
    }
    for (String view : relations(main, staging, "m")) {
      st.execute(
          "ALTER MATERIALIZED VIEW " + from + postgresIdentifier(view) + " SET SCHEMA " + schema);
    }
    // Array types move with their element type; multirange types (14+) are moved when left.
    for (int pass = 0; pass < 2; pass++) {
      for (String[] type :
          Jdbc.queryRows(
              main,
              "SELECT t.typname, t.typtype::text FROM pg_catalog.pg_type t"
                  + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                  + " WHERE n.nspname = ? AND t.typtype IN ('e','r','c','d','m')"
                  + " AND (t.typrelid = 0 OR (SELECT r.relkind FROM pg_catalog.pg_class r"
                  + " WHERE r.oid = t.typrelid) = 'c') AND t.typelem = 0"
                  + (pass == 0 ? " AND t.typtype <> 'm'" : ""),
              2,
              staging)) {
        st.execute(
            "ALTER "
                + (type[1].equals("d") ? "DOMAIN " : "TYPE ")
                + from
                + postgresIdentifier(type[0])
                + " SET SCHEMA "
                + schema);
      }
    }
    // Routines after the types: a range type's constructors stay behind when it moves.
    for (String routine :
        Jdbc.queryStrings(
            main,
            "SELECT "
                + literal(from)
                + " || pg_catalog.quote_ident(p.proname) || '('"
                + " || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'"
                + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = p.pronamespace WHERE n.nspname = ?",
            staging)) {
      st.execute("ALTER ROUTINE " + routine + " SET SCHEMA " + schema);
    }
  }

  @Override
  public void discard(Connection main, RestorePlan plan) {
    try {
      if (plan.singleTransaction()) {
        main.rollback();
        main.setAutoCommit(true);
      } else {
        try (Statement st = main.createStatement()) {
          st.execute(
              "DROP SCHEMA IF EXISTS " + postgresIdentifier(plan.stagingSchema()) + " CASCADE");
        }
      }
    } catch (SQLException ignored) {
      // best effort: the next restore into the same schema drops a leftover staging schema
    }
  }

  private static List<String> relations(Connection connection, String schema, String kind)
      throws SQLException {
    return Jdbc.queryStrings(
        connection,
        "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = ?"
            + " ORDER BY 1",
        schema,
        kind);
  }

  private static final String IDENTIFIER = "(?:\"(?:[^\"]|\"\")*\"|[^\\s\".]+)";

  private static final Pattern QUALIFIED_INDEX_TABLE =
      Pattern.compile(
          "(?s)^(CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+"
              + IDENTIFIER
              + "\\s+ON\\s+(?:ONLY\\s+)?)"
              + IDENTIFIER
              + "\\.(?="
              + IDENTIFIER
              + "\\s)");

  /**
   * pg_get_indexdef always qualifies the table with its schema; dumps are schema-agnostic (they are
   * loaded into whatever schema the restore targets), so the qualification is dropped.
   */
  static String unqualifiedIndexDefinition(String definition) {
    var m = QUALIFIED_INDEX_TABLE.matcher(definition);
    return m.lookingAt() ? m.group(1) + definition.substring(m.end()) : definition;
  }

  @Override
  public Map<String, Boolean> backupPrivileges(Connection connection, ConnectionSpec spec)
      throws SQLException {
    Map<String, Boolean> result = new LinkedHashMap<>();
    result.put(
        "USAGE on schema " + spec.schema(),
        Jdbc.queryBoolean(
            connection,
            "SELECT pg_catalog.has_schema_privilege(" + literal(spec.schema()) + ", 'USAGE')"));
    result.put(
        "SELECT on all tables and sequences",
        Jdbc.queryBoolean(
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
    if (schemaExists(connection, spec.schema())) {
      result.put(
          "CREATE on schema " + spec.schema(),
          Jdbc.queryBoolean(
              connection,
              "SELECT pg_catalog.has_schema_privilege(" + literal(spec.schema()) + ", 'CREATE')"));
    } else {
      result.put(
          "CREATE on database " + spec.database(),
          Jdbc.queryBoolean(
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
          Jdbc.queryBoolean(
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
    return Jdbc.queryRows(
        connection,
        "SELECT conname, pg_catalog.pg_get_constraintdef(oid)"
            + " FROM pg_catalog.pg_constraint WHERE conrelid = "
            + tableOid
            + " AND strpos(?, contype::text) > 0 ORDER BY contype DESC, conname",
        2,
        types);
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
    if (!schemaExists(connection, schema)) {
      throw new SQLException("schema \"" + schema + "\" does not exist", "3F000");
    }
  }

  private static boolean schemaExists(Connection connection, String schema) throws SQLException {
    return Jdbc.queryBoolean(
        connection,
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = "
            + literal(schema)
            + ")");
  }

  private static String columnList(List<ColumnInfo> columns) {
    return columns.stream().map(c -> postgresIdentifier(c.name())).collect(Collectors.joining(","));
  }

  static String literal(String value) {
    return postgresString(new StringBuilder(), value).toString();
  }
}
