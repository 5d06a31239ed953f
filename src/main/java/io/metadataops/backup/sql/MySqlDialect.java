package io.metadataops.backup.sql;

import static io.metadataops.backup.sql.SqlLiterals.mysqlHex;
import static io.metadataops.backup.sql.SqlLiterals.mysqlIdentifier;
import static io.metadataops.backup.sql.SqlLiterals.mysqlString;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.DbScheme;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.manifest.SchemaObject;
import io.metadataops.backup.pipeline.Stage;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
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

/** MySQL 8 and MariaDB 10.11+: SHOW CREATE TABLE for DDL, multi-row INSERTs for data. */
public final class MySqlDialect implements Dialect {

  /** Upper bound of one INSERT statement, well under the mysql client's 16 MB packet default. */
  static final int MAX_STATEMENT_BYTES = 256 * 1024;

  /**
   * Values whose literal is longer than this are written in chunks so that every statement fits the
   * client's max_allowed_packet (at most 12 MB: 3 bytes per character, hex doubles binary): the row
   * is inserted with an empty value, the chunks are gathered in {@link #CHUNK_VARIABLE} (memory of
   * the session), and one UPDATE stores the whole value. Appending to the column itself instead
   * rewrote the stored value at every chunk: quadratic work for InnoDB (29.5 s of server CPU to
   * restore 268 MB of 17-64 MB values in 1 MB chunks, 4.4 s now, 2.7 s for one INSERT each).
   */
  static final int CHUNK_CHARS = 4 * 1024 * 1024;

  /** The user variable (session memory) an oversized value is gathered in. */
  static final String CHUNK_VARIABLE = "@metadataops_value";

  private static final Set<String> NUMERIC =
      Set.of(
          "tinyint",
          "smallint",
          "mediumint",
          "int",
          "integer",
          "bigint",
          "decimal",
          "numeric",
          "float",
          "double",
          "real");
  private static final Set<String> BINARY =
      Set.of(
          "binary",
          "varbinary",
          "tinyblob",
          "blob",
          "mediumblob",
          "longblob",
          "bit",
          "geometry",
          "point",
          "linestring",
          "polygon",
          "multipoint",
          "multilinestring",
          "multipolygon",
          "geometrycollection",
          "geomcollection");

  @Override
  public DbScheme scheme() {
    return DbScheme.MYSQL;
  }

  @Override
  public SqlSyntax syntax() {
    return SqlSyntax.MYSQL;
  }

  @Override
  public Connection connect(ConnectionSpec spec) throws SQLException {
    return Jdbc.connect(
        "mysql",
        spec,
        spec.database() == null ? "" : spec.database(),
        DRIVER_PROPERTIES,
        List.of(
            "SET time_zone = '+00:00'",
            "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'"));
  }

  private static final Properties DRIVER_PROPERTIES = driverProperties();

  private static Properties driverProperties() {
    Properties props = new Properties();
    // Values are read as the server's text: no client-side type or time-zone conversion.
    props.setProperty("characterEncoding", "UTF-8");
    props.setProperty("connectionCollation", "utf8mb4_bin");
    props.setProperty("tinyInt1isBit", "false");
    props.setProperty("yearIsDateType", "false");
    props.setProperty("useServerPrepStmts", "false");
    props.setProperty("useCursorFetch", "false");
    props.setProperty("allowMultiQueries", "false");
    props.setProperty("rewriteBatchedStatements", "false");
    props.setProperty("connectTimeout", "15000");
    props.setProperty("zeroDateTimeBehavior", "CONVERT_TO_NULL");
    return props;
  }

  @Override
  public ServerInfo serverInfo(Connection connection) throws SQLException {
    String version = Jdbc.queryString(connection, "SELECT VERSION()");
    String engine = version.toLowerCase(Locale.ROOT).contains("mariadb") ? "mariadb" : "mysql";
    return new ServerInfo(engine, version);
  }

  @Override
  public Optional<Long> sortBufferSize(Connection connection) throws SQLException {
    return Optional.of(Jdbc.queryLong(connection, "SELECT @@SESSION.sort_buffer_size"));
  }

  @Override
  public void beginSnapshot(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    }
  }

  @Override
  public List<TableInfo> tables(Connection connection, ConnectionSpec spec) throws SQLException {
    Map<String, long[]> stats = new LinkedHashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT TABLE_NAME, COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0) +"
                + " COALESCE(INDEX_LENGTH, 0) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'"
                + " ORDER BY TABLE_NAME")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stats.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
    }
    Map<String, List<ColumnInfo>> columns = new LinkedHashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, EXTRA FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String extra = String.valueOf(rs.getString(4)).toUpperCase(Locale.ROOT);
          boolean generated =
              extra.contains("VIRTUAL GENERATED")
                  || extra.contains("STORED GENERATED")
                  || extra.contains("PERSISTENT GENERATED");
          columns
              .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(
                  new ColumnInfo(
                      rs.getString(2), rs.getString(3).toLowerCase(Locale.ROOT), generated));
        }
      }
    }
    Map<String, List<String>> keys = new LinkedHashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'PRIMARY'"
                + " ORDER BY TABLE_NAME, SEQ_IN_INDEX")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
    }
    List<TableInfo> tables = new ArrayList<>();
    for (var entry : stats.entrySet()) {
      String name = entry.getKey();
      tables.add(
          new TableInfo(
              name,
              0,
              List.copyOf(columns.getOrDefault(name, List.of())),
              List.copyOf(keys.getOrDefault(name, List.of())),
              entry.getValue()[0],
              entry.getValue()[1]));
    }
    return tables;
  }

  @Override
  public String dumpOf(ServerInfo server, ConnectionSpec spec) {
    return "database " + spec.database() + " (" + server.engine() + " " + server.version() + ")";
  }

  @Override
  public String restoreCommand() {
    return "mysql --default-character-set=utf8mb4 <database> < dump.sql";
  }

  @Override
  public List<String> sessionSettings() {
    return SESSION_SETTINGS;
  }

  private static final List<String> SESSION_SETTINGS =
      List.of(
          "SET NAMES utf8mb4",
          "SET time_zone = '+00:00'",
          "SET foreign_key_checks = 0",
          "SET unique_checks = 0",
          // Clears NO_BACKSLASH_ESCAPES (literals use backslash escapes) and keeps explicit zeros
          // in AUTO_INCREMENT columns.
          "SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");

  @Override
  public void writeTableDefinitions(Connection connection, List<TableInfo> tables, DumpSink out)
      throws SQLException, IOException {
    for (String sequence : preData) {
      out.append(sequence).append(";\n\n");
    }
    String database = Jdbc.queryString(connection, "SELECT DATABASE()");
    for (TableInfo table : tables) {
      String ddl;
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + mysqlIdentifier(table.name()))) {
        rs.next();
        ddl = rs.getString(2);
      }
      // SHOW CREATE TABLE keeps generated column definitions, keys, foreign keys (created with
      // checks off) and the AUTO_INCREMENT position.
      out.append(unqualifiedSequences(inheritedCollations(ddl), database)).append(";\n\n");
    }
  }

  /**
   * MariaDB prints a default's sequence with the source database ({@code nextval(`db`.`s`)}): the
   * dump is database-agnostic, so the qualification is dropped.
   */
  static String unqualifiedSequences(String ddl, String database) {
    if (database == null) {
      return ddl;
    }
    String qualifier = mysqlIdentifier(database) + ".";
    String result = ddl;
    for (String function : List.of("nextval(", "lastval(", "setval(")) {
      result = result.replace(function + qualifier, function);
    }
    return result;
  }

  private static final Pattern TABLE_COLLATION =
      Pattern.compile("\\) [^\\n]*\\bCOLLATE=(\\w+)[^\\n]*$");

  /**
   * SHOW CREATE TABLE prints {@code COLLATE c} for a column that only inherits the table's default
   * collation c when c is not its character set's default; fed back, that clause makes the
   * collation explicit and MySQL 8 then prints {@code CHARACTER SET cs COLLATE c}. Dropping it (the
   * column inherits the same collation again) makes the restored table read as the source.
   */
  static String inheritedCollations(String ddl) {
    Matcher table = TABLE_COLLATION.matcher(ddl);
    if (!table.find()) {
      return ddl;
    }
    Pattern inherited =
        Pattern.compile(
            "(?m)^(  `(?:[^`]|``)+` [a-z]+(?:\\((?:'(?:[^'\\\\]|''|\\\\.)*'|[^)'])*\\))?)"
                + " COLLATE "
                + Pattern.quote(table.group(1))
                + "(?=[ ,\\n]|$)");
    return inherited.matcher(ddl).replaceAll("$1");
  }

  /** Rows handed from the reading thread to the writing one at a time, and bytes at most. */
  private static final int BATCH_ROWS = 512;

  private static final int BATCH_BYTES = 256 * 1024;

  /** Batches on their way from the reading thread to the writing one. */
  private static final int BATCHES = 4;

  /**
   * One thread reads the rows (the driver's protocol work) and checksums them, the calling thread
   * turns them into INSERT statements: the client's work is split over two cores. Batches are
   * bounded: memory stays flat.
   */
  @Override
  public TableDigest writeTableData(
      Connection connection,
      List<Connection> helpers,
      TableInfo table,
      DumpSink out,
      RowMeter meter)
      throws SQLException, IOException {
    // MySQL cannot share a consistent snapshot between connections: one connection reads all.
    List<ColumnInfo> columns = table.storedColumns();
    TableDigest digest = new TableDigest(ChecksumAlgorithm.CURRENT);
    if (columns.isEmpty()) {
      return digest;
    }
    int[] kinds = kinds(columns);
    Stage<SQLException> reader = new Stage<>("backup-reader", SQLException.class);
    Stage<SQLException>.Lane<List<Object[]>> batches = reader.lane(BATCHES);
    try {
      reader.start(worker -> readRows(connection, table, columns, kinds, digest, reader, batches));
      writeRows(table, columns, kinds, batches, out, meter);
      reader.join();
    } finally {
      reader.close(); // after a failure: the reader stops at its next row
    }
    return digest;
  }

  /**
   * Reads and checksums the rows. A value is handed on as {@code byte[]} (binary, or text in plain
   * ASCII, see {@link SqlLiterals#isPlainAscii}: such bytes mean the same in every charset the
   * server may send, so they are the UTF-8 of what getString returns and give the same checksum and
   * literal), as the driver's {@code String} (numbers, dates, other text) or as null.
   */
  private static void readRows(
      Connection connection,
      TableInfo table,
      List<ColumnInfo> columns,
      int[] kinds,
      TableDigest digest,
      Stage<SQLException> stage,
      Stage<SQLException>.Lane<List<Object[]>> batches)
      throws SQLException, IOException {
    try (Statement st = streamingStatement(connection);
        ResultSet rs = st.executeQuery(select(table, columns))) {
      List<Object[]> batch = new ArrayList<>(BATCH_ROWS);
      long bytes = 0;
      while (!stage.failed() && rs.next()) {
        Object[] values = new Object[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
          int kind = kinds[i];
          Object value;
          if (kind == BINARY_KIND) {
            value = rs.getBytes(i + 1);
          } else if (kind == NUMERIC_KIND || kind == TEXT_KIND) {
            value = rs.getString(i + 1);
          } else {
            byte[] raw = rs.getBytes(i + 1);
            value = raw == null || SqlLiterals.isPlainAscii(raw) ? raw : rs.getString(i + 1);
          }
          if (value instanceof String text) {
            digest.field(text);
            bytes += text.length();
          } else {
            digest.field((byte[]) value);
            bytes += value == null ? 4 : ((byte[]) value).length;
          }
          values[i] = value;
        }
        digest.endRow();
        batch.add(values);
        if (batch.size() == BATCH_ROWS || bytes >= BATCH_BYTES) {
          batches.put(batch);
          batch = new ArrayList<>(BATCH_ROWS);
          bytes = 0;
        }
      }
      if (!batch.isEmpty()) {
        batches.put(batch);
      }
    }
    batches.end();
  }

  private void writeRows(
      TableInfo table,
      List<ColumnInfo> columns,
      int[] kinds,
      Stage<SQLException>.Lane<List<Object[]>> batches,
      DumpSink out,
      RowMeter meter)
      throws SQLException, IOException {
    TextBuffer prefix =
        new TextBuffer(256)
            .append(
                "INSERT INTO "
                    + mysqlIdentifier(table.name())
                    + " ("
                    + columns.stream()
                        .map(c -> mysqlIdentifier(c.name()))
                        .collect(Collectors.joining(","))
                    + ") VALUES ");
    // Chunked writing finds the row again by its primary key, so the key must be stored.
    boolean chunkable =
        !table.primaryKey().isEmpty()
            && table.primaryKey().stream().allMatch(key -> indexOf(columns, key) >= 0);
    // Rows go straight to the dump: a statement is only counted, never assembled.
    long statement = 0;
    TextBuffer row = new TextBuffer(4096);
    List<Object[]> batch;
    while ((batch = batches.take()) != null) {
      for (Object[] values : batch) {
        row.clear();
        row.append('(');
        List<Object[]> oversized = null;
        for (int i = 0; i < kinds.length; i++) {
          if (i > 0) {
            row.append(',');
          }
          Object value = values[i];
          int kind = kinds[i];
          if (value == null) {
            row.append("NULL");
          } else if (kind == NUMERIC_KIND) {
            row.append((String) value);
          } else if (chunkable && kind != JSON_KIND && length(value) > CHUNK_CHARS) {
            row.append(kind == BINARY_KIND ? "X''" : "''");
            // Plain ASCII text stays bytes: chunked as it is, never copied whole.
            oversized = add(oversized, i, value);
          } else if (kind == BINARY_KIND) {
            mysqlHex(row, (byte[]) value);
          } else if (value instanceof byte[] bytes) {
            mysqlString(row, bytes);
          } else {
            mysqlString(row, (String) value);
          }
        }
        row.append(')');
        if (statement > 0 && statement + 1 + row.length() > MAX_STATEMENT_BYTES) {
          statement = endStatement(out);
        }
        if (statement == 0) {
          prefix.writeTo(out);
          statement = prefix.length();
        } else {
          out.append(',');
          statement++;
        }
        row.writeTo(out);
        statement += row.length();
        if (oversized != null) {
          statement = endStatement(out);
          writeChunks(table, columns, kinds, values, oversized, out);
        }
        meter.add(1, row.length());
      }
    }
    if (statement > 0) {
      endStatement(out);
    }
  }

  private static long endStatement(DumpSink out) throws IOException {
    out.append(';').append('\n');
    return 0;
  }

  private static int length(Object value) {
    return value instanceof byte[] bytes ? bytes.length : ((String) value).length();
  }

  /** Appends an oversized value chunk by chunk to the row just inserted (found by its key). */
  private void writeChunks(
      TableInfo table,
      List<ColumnInfo> columns,
      int[] kinds,
      Object[] row,
      List<Object[]> values,
      DumpSink out)
      throws IOException {
    TextBuffer where = new TextBuffer(256).append(" WHERE ");
    for (int k = 0; k < table.primaryKey().size(); k++) {
      String key = table.primaryKey().get(k);
      if (k > 0) {
        where.append(" AND ");
      }
      where.append(mysqlIdentifier(key)).append(" = ");
      int index = indexOf(columns, key);
      Object value = row[index];
      if (kinds[index] == BINARY_KIND) {
        mysqlHex(where, (byte[]) value);
      } else if (kinds[index] == NUMERIC_KIND) {
        where.append((String) value);
      } else if (value instanceof byte[] bytes) {
        mysqlString(where, bytes);
      } else {
        mysqlString(where, (String) value);
      }
    }
    TextBuffer sql = new TextBuffer(CHUNK_CHARS * 2 + 256);
    for (Object[] entry : values) {
      String column = mysqlIdentifier(columns.get((Integer) entry[0]).name());
      Object value = entry[1];
      int length = value instanceof byte[] b ? b.length : ((String) value).length();
      for (int start = 0; start < length; ) {
        sql.clear();
        sql.append("SET ").append(CHUNK_VARIABLE).append(" = ");
        if (start > 0) {
          sql.append("CONCAT(").append(CHUNK_VARIABLE).append(", ");
        }
        int end = Math.min(length, start + CHUNK_CHARS);
        if (value instanceof byte[] bytes) {
          byte[] chunk = Arrays.copyOfRange(bytes, start, end);
          if (kinds[(Integer) entry[0]] == BINARY_KIND) {
            mysqlHex(sql, chunk);
          } else {
            mysqlString(sql, chunk); // plain ASCII: any split is between characters
          }
        } else {
          String text = (String) value;
          if (end < length && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a 4-byte character between two chunks
          }
          mysqlString(sql, text.substring(start, end));
        }
        sql.append(start > 0 ? ");\n" : ";\n");
        sql.writeTo(out);
        start = end;
      }
      out.append("UPDATE ")
          .append(mysqlIdentifier(table.name()))
          .append(" SET ")
          .append(column)
          .append(" = ")
          .append(CHUNK_VARIABLE);
      where.writeTo(out);
      out.append(";\nSET ").append(CHUNK_VARIABLE).append(" = NULL;\n");
    }
  }

  @Override
  public void writePostData(Connection connection, List<TableInfo> tables, DumpSink out)
      throws IOException {
    // Keys, foreign keys and AUTO_INCREMENT are part of SHOW CREATE TABLE. After the rows:
    // routines, views, triggers (which must not fire on the restored rows) and events.
    for (String statement : postData) {
      if (statement.startsWith(DELIMITED)) {
        out.append("\nDELIMITER ;;\n")
            .append(statement.substring(DELIMITED.length()))
            .append(";;\nDELIMITER ;\n");
      } else {
        out.append(statement).append(";\n");
      }
    }
  }

  @Override
  public void writeFooter(DumpSink out) throws IOException {
    out.append("SET foreign_key_checks = 1;\nSET unique_checks = 1;\n");
  }

  @Override
  public TableDigest digest(
      Connection connection, TableInfo table, int part, int parts, ChecksumAlgorithm algorithm)
      throws SQLException {
    if (parts != 1) {
      throw new IllegalArgumentException("MySQL tables are checked whole");
    }
    List<ColumnInfo> columns = table.storedColumns();
    int[] kinds = kinds(columns);
    TableDigest digest = new TableDigest(algorithm);
    if (columns.isEmpty()) {
      return digest;
    }
    try (Statement st = streamingStatement(connection);
        ResultSet rs = st.executeQuery(select(table, columns))) {
      while (rs.next()) {
        for (int i = 0; i < kinds.length; i++) {
          byte[] raw =
              kinds[i] == NUMERIC_KIND || kinds[i] == TEXT_KIND ? null : rs.getBytes(i + 1);
          if (raw != null && (kinds[i] == BINARY_KIND || SqlLiterals.isPlainAscii(raw))) {
            digest.field(raw); // as writeTableData does
          } else {
            digest.field(kinds[i] == BINARY_KIND ? null : rs.getString(i + 1));
          }
        }
        digest.endRow();
      }
    }
    return digest;
  }

  @Override
  public void ensureTarget(ConnectionSpec spec) throws SQLException {
    createDatabase(spec, spec.database());
  }

  @Override
  public boolean createDatabase(ConnectionSpec server, String name) throws SQLException {
    try (Connection connection = connect(server.withDatabase(null));
        PreparedStatement ps =
            connection.prepareStatement(
                "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
      try (Statement st = connection.createStatement()) {
        st.execute(
            "CREATE DATABASE "
                + mysqlIdentifier(name)
                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
      }
      return true;
    }
  }

  /** Post-data statements of the backup being written, read by {@link #schemaObjects}. */
  private List<String> postData = List.of();

  /** MariaDB sequences: created before the tables (a default may call NEXTVAL). */
  private List<String> preData = List.of();

  /**
   * Routines, views (a view over a view after its base), triggers of the carried tables and events,
   * as SHOW CREATE prints them with the DEFINER clause dropped, so that a restore as another user
   * works (the restoring user becomes the definer; SQL SECURITY is kept). Each is created under the
   * sql_mode it was created with (events also under their time zone); bodies may hold semicolons,
   * so they are written between DELIMITER ;; lines, as mysqldump does.
   */
  @Override
  public SchemaCatalog schemaObjects(
      Connection connection, ConnectionSpec spec, List<TableInfo> tables) throws SQLException {
    List<SchemaObject> objects = new ArrayList<>();
    List<String> statements = new ArrayList<>();
    List<String> sequences = new ArrayList<>();
    for (String sequence :
        Jdbc.queryStrings(
            connection,
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_TYPE = 'SEQUENCE' ORDER BY 1")) {
      String name = mysqlIdentifier(sequence);
      sequences.add(showCreate(connection, "SHOW CREATE SEQUENCE " + name)[2]);
      // Its position, as mysqldump keeps it: the next value not handed out to a cache.
      String next = Jdbc.queryString(connection, "SELECT next_not_cached_value FROM " + name);
      statements.add("SELECT SETVAL(" + name + ", " + Long.parseLong(next) + ", 0)");
      objects.add(new SchemaObject("sequence", sequence));
    }
    preData = sequences;
    for (String[] routine :
        Jdbc.queryRows(
            connection,
            "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES"
                + " WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY 1, 2",
            2)) {
      String kind = routine[0].toLowerCase(Locale.ROOT);
      statements.addAll(storedProgram(connection, kind, routine[1]));
      objects.add(new SchemaObject(kind, routine[1]));
    }
    Map<String, String> views = new LinkedHashMap<>();
    for (String view :
        Jdbc.queryStrings(
            connection,
            "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()"
                + " ORDER BY 1")) {
      String[] shown = showCreate(connection, "SHOW CREATE VIEW " + mysqlIdentifier(view));
      views.put(view, withoutDefiner(shown[2]));
    }
    Set<String> carried =
        tables.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    // A view over a table --include/--exclude leaves out would not restore (MySQL checks them).
    List<String> unsupported = new ArrayList<>();
    List<String> leftOut =
        Jdbc.queryStrings(
                connection,
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")
            .stream()
            .filter(t -> !carried.contains(t.toLowerCase(Locale.ROOT)))
            .toList();
    for (String view : viewOrder(views)) {
      String definition = views.get(view);
      String body = definition.substring(Math.max(0, definition.indexOf(" AS ")));
      for (String table : leftOut) {
        if (body.contains(mysqlIdentifier(table))) {
          unsupported.add(
              "view "
                  + view
                  + ": depends on table "
                  + table
                  + ", which --include/--exclude leaves out of the backup");
        }
      }
      statements.add(definition);
      objects.add(new SchemaObject("view", view));
    }
    for (String[] trigger :
        Jdbc.queryRows(
            connection,
            "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = DATABASE()"
                + " ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
            2)) {
      if (!carried.contains(trigger[1].toLowerCase(Locale.ROOT))) {
        continue;
      }
      statements.addAll(storedProgram(connection, "trigger", trigger[0]));
      objects.add(new SchemaObject("trigger", trigger[0]));
    }
    for (String event :
        Jdbc.queryStrings(
            connection,
            "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"
                + " ORDER BY 1")) {
      statements.addAll(storedProgram(connection, "event", event));
      objects.add(new SchemaObject("event", event));
    }
    postData = statements;
    return new SchemaCatalog(List.copyOf(objects), List.copyOf(unsupported));
  }

  /** The row SHOW CREATE returns, its columns numbered from 1 as in JDBC. */
  private static String[] showCreate(Connection connection, String sql) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      String[] row = new String[rs.getMetaData().getColumnCount() + 1];
      for (int i = 1; i < row.length; i++) {
        row[i] = rs.getString(i);
      }
      return row;
    }
  }

  private static final Pattern DEFINER =
      Pattern.compile(
          "(?i)\\s+DEFINER\\s*=\\s*(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[^\\s@]+)"
              + "(?:@(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[^\\s]+))?(?=\\s)");

  /** The statement without its DEFINER clause: the restoring user becomes the definer. */
  static String withoutDefiner(String create) {
    return DEFINER.matcher(create).replaceFirst("");
  }

  /**
   * The statements that recreate a stored program ({@code kind}: procedure, function, trigger or
   * event) as SHOW CREATE prints it, without its definer, under its own sql_mode (an event: also
   * its time zone, the column SHOW CREATE EVENT adds before the statement).
   */
  private static List<String> storedProgram(Connection connection, String kind, String name)
      throws SQLException {
    String[] shown =
        showCreate(
            connection,
            "SHOW CREATE " + kind.toUpperCase(Locale.ROOT) + " " + mysqlIdentifier(name));
    boolean event = kind.equals("event");
    return withMode(shown[2], event ? shown[3] : null, withoutDefiner(shown[event ? 4 : 3]));
  }

  /**
   * A routine, trigger or event under its own sql_mode (and time zone), between DELIMITER lines.
   */
  private static List<String> withMode(String sqlMode, String timeZone, String create) {
    List<String> out = new ArrayList<>();
    out.add("SET sql_mode = " + quoted(sqlMode == null ? "" : sqlMode));
    if (timeZone != null) {
      out.add("SET time_zone = " + quoted(timeZone));
    }
    out.add(DELIMITED + create);
    out.add("SET sql_mode = " + quoted(DUMP_SQL_MODE));
    if (timeZone != null) {
      out.add("SET time_zone = '+00:00'");
    }
    return out;
  }

  /** Marks a statement written between DELIMITER ;; lines. */
  private static final String DELIMITED = "\u0000";

  private static final String DUMP_SQL_MODE = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";

  private static String quoted(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /** Views in dependency order: one that names another view after it (SHOW CREATE VIEW quotes). */
  private static List<String> viewOrder(Map<String, String> views) {
    List<String> ordered = new ArrayList<>();
    Set<String> done = new java.util.HashSet<>();
    for (String view : views.keySet()) {
      visitView(view, views, ordered, done, new java.util.HashSet<>());
    }
    return ordered;
  }

  private static void visitView(
      String view,
      Map<String, String> views,
      List<String> ordered,
      Set<String> done,
      Set<String> visiting) {
    if (done.contains(view) || !visiting.add(view)) {
      return;
    }
    String definition = views.get(view);
    int as = definition.indexOf(" AS ");
    String body = as < 0 ? definition : definition.substring(as);
    for (String other : views.keySet()) {
      if (!other.equals(view) && body.contains(mysqlIdentifier(other))) {
        visitView(other, views, ordered, done, visiting);
      }
    }
    done.add(view);
    ordered.add(view);
  }

  @Override
  public List<SchemaObject> presentObjects(Connection connection, ConnectionSpec spec)
      throws SQLException {
    List<SchemaObject> present = new ArrayList<>();
    for (String[] row :
        Jdbc.queryRows(
            connection,
            "SELECT 'view', TABLE_NAME FROM information_schema.VIEWS"
                + " WHERE TABLE_SCHEMA = DATABASE()"
                + " UNION ALL SELECT 'trigger', TRIGGER_NAME FROM information_schema.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = DATABASE()"
                + " UNION ALL SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME"
                + " FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"
                + " UNION ALL SELECT 'event', EVENT_NAME FROM information_schema.EVENTS"
                + " WHERE EVENT_SCHEMA = DATABASE()"
                + " UNION ALL SELECT 'sequence', TABLE_NAME FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SEQUENCE'",
            2)) {
      present.add(new SchemaObject(row[0], row[1]));
    }
    return present;
  }

  @Override
  public List<String> existingObjects(Connection connection, ConnectionSpec spec)
      throws SQLException {
    return Jdbc.queryStrings(
        connection,
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
            + " UNION ALL SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME)"
            + " FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"
            + " UNION ALL SELECT CONCAT('event ', EVENT_NAME) FROM information_schema.EVENTS"
            + " WHERE EVENT_SCHEMA = DATABASE() ORDER BY 1");
  }

  @Override
  public void dropExisting(Connection connection, ConnectionSpec spec, Progress progress)
      throws SQLException {
    List<String[]> objects =
        Jdbc.queryRows(
            connection,
            "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = DATABASE()",
            2);
    try (Statement st = connection.createStatement()) {
      st.execute("SET foreign_key_checks = 0");
      for (String[] object : objects) {
        boolean view = object[1].toUpperCase(Locale.ROOT).contains("VIEW");
        boolean sequence = object[1].equalsIgnoreCase("SEQUENCE");
        String kind = view ? "view" : sequence ? "sequence" : "table";
        progress.line("dropping existing " + kind + " " + object[0]);
        st.execute("DROP " + kind.toUpperCase(Locale.ROOT) + " " + mysqlIdentifier(object[0]));
      }
      for (String[] routine :
          Jdbc.queryRows(
              connection,
              "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES"
                  + " WHERE ROUTINE_SCHEMA = DATABASE()"
                  + " UNION ALL SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS"
                  + " WHERE EVENT_SCHEMA = DATABASE()",
              2)) {
        progress.line(
            "dropping existing " + routine[0].toLowerCase(Locale.ROOT) + " " + routine[1]);
        st.execute("DROP " + routine[0] + " IF EXISTS " + mysqlIdentifier(routine[1]));
      }
      st.execute("SET foreign_key_checks = 1");
    }
  }

  @Override
  public boolean stagesRestore() {
    return false; // DDL commits implicitly: the dump is checked before the target is touched
  }

  /** Loads straight into the target database, rows over {@code workers} parallel connections. */
  @Override
  public RestorePlan planRestore(
      Connection main, ConnectionSpec target, boolean dropExisting, int workers, Progress progress)
      throws SQLException {
    if (dropExisting) {
      dropExisting(main, target, progress);
    }
    main.setAutoCommit(true);
    return new RestorePlan(target, workers, false, null, dropExisting);
  }

  @Override
  public StatementKind classify(String statement) {
    if (statement.regionMatches(true, 0, "INSERT ", 0, 7)) {
      return StatementKind.ROWS;
    }
    if (statement.regionMatches(true, 0, "SET " + CHUNK_VARIABLE, 0, 4 + CHUNK_VARIABLE.length())) {
      return StatementKind.SERIAL; // gathers an oversized value on the connection that stores it
    }
    if (statement.regionMatches(true, 0, "SET ", 0, 4)) {
      return StatementKind.SESSION;
    }
    return StatementKind.SERIAL;
  }

  @Override
  public void execute(Connection connection, String statement) throws SQLException {
    // The connection already speaks utf8mb4; SET NAMES behind the driver's back is discouraged.
    if (statement.regionMatches(true, 0, "SET NAMES", 0, 9)) {
      return;
    }
    try (Statement st = connection.createStatement()) {
      st.setEscapeProcessing(false);
      st.execute(statement);
    }
  }

  /**
   * Inserts from parallel connections into one table can deadlock in InnoDB; the statement (its own
   * transaction: autocommit) is then rolled back whole. A lock wait timeout rolls back the
   * statement.
   */
  @Override
  public boolean retryable(SQLException e) {
    return e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
  }

  @Override
  public void publish(Connection main, ConnectionSpec target, RestorePlan plan, Progress progress) {
    // Loaded in place, statement by statement.
  }

  @Override
  public void discard(Connection main, RestorePlan plan) {
    // MySQL DDL is not transactional: a failed restore is re-run with --drop-existing.
  }

  @Override
  public Map<String, Boolean> backupPrivileges(Connection connection, ConnectionSpec spec)
      throws SQLException {
    return privileges(connection, spec, List.of("SELECT", "SHOW VIEW"));
  }

  @Override
  public Map<String, Boolean> restorePrivileges(Connection connection, ConnectionSpec spec)
      throws SQLException {
    return privileges(
        connection,
        spec,
        List.of("CREATE", "DROP", "ALTER", "INDEX", "INSERT", "UPDATE", "REFERENCES", "SELECT"));
  }

  /** Reads SHOW GRANTS for the current user: global grants and grants on the database. */
  private Map<String, Boolean> privileges(
      Connection connection, ConnectionSpec spec, List<String> needed) throws SQLException {
    Set<String> granted = new java.util.HashSet<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SHOW GRANTS")) {
      while (rs.next()) {
        String grant = rs.getString(1);
        var m = java.util.regex.Pattern.compile("(?i)^GRANT (.+?) ON (\\S+) TO ").matcher(grant);
        if (!m.find()) {
          continue;
        }
        String scope = m.group(2).replace("`", "").replace("\\", "");
        String dbPart = scope.substring(0, Math.max(scope.indexOf('.'), 0));
        boolean applies =
            scope.equals("*.*") || (scope.endsWith(".*") && likeMatches(dbPart, spec.database()));
        if (!applies) {
          continue;
        }
        for (String privilege : m.group(1).split(",")) {
          String p = privilege.trim().toUpperCase(Locale.ROOT);
          granted.add(p.equals("ALL") ? "ALL PRIVILEGES" : p);
        }
      }
    }
    Map<String, Boolean> result = new LinkedHashMap<>();
    for (String privilege : needed) {
      result.put(privilege, granted.contains("ALL PRIVILEGES") || granted.contains(privilege));
    }
    return result;
  }

  private static boolean likeMatches(String pattern, String name) {
    String regex = java.util.regex.Pattern.quote(pattern).replace("%", "\\E.*\\Q");
    return name != null && name.matches(regex);
  }

  @Override
  public void dropDatabase(ConnectionSpec server, String name) throws SQLException {
    try (Connection connection = connect(server.withDatabase(null));
        Statement st = connection.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + mysqlIdentifier(name));
    }
  }

  @Override
  public String quoteIdentifier(String name) {
    return mysqlIdentifier(name);
  }

  /** Other text forms (dates, times ...): read as the driver's string. */
  private static final int TEXT_KIND = 0;

  private static final int NUMERIC_KIND = 1;
  private static final int BINARY_KIND = 2;

  /** JSON: text, but never written in chunks (a partial JSON value is rejected). */
  private static final int JSON_KIND = 3;

  /** Character strings: their bytes are used as they arrive when they are plain ASCII (as JSON). */
  private static final int STRING_KIND = 4;

  private static final Set<String> STRINGS =
      Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set");

  private static int[] kinds(List<ColumnInfo> columns) {
    int[] kinds = new int[columns.size()];
    for (int i = 0; i < kinds.length; i++) {
      String type = columns.get(i).dataType();
      kinds[i] =
          NUMERIC.contains(type)
              ? NUMERIC_KIND
              : BINARY.contains(type)
                  ? BINARY_KIND
                  : type.equals("json")
                      ? JSON_KIND
                      : STRINGS.contains(type) ? STRING_KIND : TEXT_KIND;
    }
    return kinds;
  }

  private static Statement streamingStatement(Connection connection) throws SQLException {
    Statement st =
        connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    // Connector/J streams row by row with this magic fetch size: memory stays flat.
    st.setFetchSize(Integer.MIN_VALUE);
    return st;
  }

  private static String select(TableInfo table, List<ColumnInfo> columns) {
    return "SELECT "
        + columns.stream().map(c -> mysqlIdentifier(c.name())).collect(Collectors.joining(","))
        + " FROM "
        + mysqlIdentifier(table.name());
  }

  private static List<Object[]> add(List<Object[]> list, int index, Object value) {
    List<Object[]> result = list == null ? new ArrayList<>() : list;
    result.add(new Object[] {index, value});
    return result;
  }

  private static int indexOf(List<ColumnInfo> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
