package io.metadataops.backup.testing;

import io.metadataops.backup.common.ConnectionSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A schema modelled on OpenMetadata's (entity table with a json column and columns generated from
 * it, SERVER_CHANGE_LOG, a time-series table with a generated timestamp) plus one table per data
 * fidelity edge case. Values are inserted with bind parameters, never through the engine's own
 * literal writer, so the test does not trust the code it tests.
 */
public final class Fixtures {

  /** Over MySQL's 16 MB client packet default and over one INSERT of the engine. */
  public static final int BIG_VALUE_BYTES = 17 * 1024 * 1024;

  /** The tricky strings every engine must keep byte for byte. */
  public static final List<String> TRICKY_TEXT =
      List.of(
          "",
          "plain",
          "O'Reilly's \"quoted\" `ticks`",
          "back\\slash \\' \\\\ \\n not-a-newline",
          "semi; colon -- not a comment /* nor this */ # nor this",
          "line1\nline2\r\nline3\ttab",
          "emoji 😀 music 𝄞 cjk 漢字 rtl שלום",
          "$$ dollar $tag$ quoted $$",
          "ctrl-z \u001a end",
          "E'not an escape string'");

  public static final String MYSQL_SCHEMA_VERSION = "1.10.2";
  public static final String POSTGRES_SCHEMA_VERSION = "2.0.0";

  private Fixtures() {}

  public static Connection connect(ConnectionSpec spec) throws SQLException {
    String url =
        spec.scheme() == io.metadataops.backup.common.DbScheme.POSTGRESQL
            ? "jdbc:postgresql://"
                + spec.endpoint()
                + "/"
                + spec.database()
                + "?reWriteBatchedInserts=true"
            : "jdbc:mysql://"
                + spec.endpoint()
                + "/"
                + spec.database()
                + "?characterEncoding=UTF-8&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
                + "&rewriteBatchedStatements=true";
    return DriverManager.getConnection(url, spec.user(), spec.password());
  }

  public static void create(DbServer server, ConnectionSpec spec) throws SQLException {
    try (Connection c = connect(spec)) {
      if (server == DbServer.POSTGRES) {
        postgres(c);
      } else {
        mysql(c, server == DbServer.MYSQL8);
      }
    }
  }

  public static byte[] allBytes() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < 256; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }

  /** A deterministic big text value: 4-byte characters, quotes and backslashes included. */
  public static String bigText() {
    StringBuilder sb = new StringBuilder(BIG_VALUE_BYTES);
    String unit = "abc'\\\"😀;\n";
    while (sb.length() * 1L < BIG_VALUE_BYTES / 1.2) {
      sb.append(unit);
    }
    return sb.toString();
  }

  public static byte[] bigBinary() {
    byte[] b = new byte[BIG_VALUE_BYTES];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31 + (i >>> 8));
    }
    return b;
  }

  private static void mysql(Connection c, boolean mysql8) throws SQLException {
    // MariaDB refuses NOT NULL on generated columns; MySQL 8 (and OpenMetadata there) uses it.
    String notNull = mysql8 ? " NOT NULL" : "";
    try (Statement st = c.createStatement()) {
      String id =
          mysql8
              // OpenMetadata on MySQL 8: even the primary key is generated from the json.
              ? "id VARCHAR(36) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.id'))) STORED NOT NULL"
              : "id VARCHAR(36) NOT NULL";
      st.execute(
          "CREATE TABLE table_entity ("
              + id
              + ", json JSON NOT NULL,"
              + " name VARCHAR(256) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.name'))) VIRTUAL,"
              + " fqnHash VARCHAR(768) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,"
              + " deleted TINYINT(1) GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.deleted')) = 'true') VIRTUAL,"
              + " updatedAt BIGINT UNSIGNED GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.updatedAt'))) STORED"
              + notNull
              + ","
              + " PRIMARY KEY (id), UNIQUE KEY unique_fqn (fqnHash), KEY idx_name (name), KEY idx_updated (updatedAt))"
              + " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
      st.execute(
          "CREATE TABLE SERVER_CHANGE_LOG (installed_rank INT NOT NULL AUTO_INCREMENT,"
              + " version VARCHAR(256), migrationFileName VARCHAR(256), checksum VARCHAR(256),"
              + " installed_on TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (installed_rank))");
      st.execute(
          "CREATE TABLE entity_extension_time_series ("
              + " entityFQNHash VARCHAR(768) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,"
              + " extension VARCHAR(256) NOT NULL, jsonSchema VARCHAR(256) NOT NULL, json JSON NOT NULL,"
              + " timestamp BIGINT UNSIGNED GENERATED ALWAYS AS (json_unquote(json_extract(json, '$.timestamp'))) STORED"
              + notNull
              + ","
              + " KEY idx_ts (entityFQNHash, extension, timestamp))");
      st.execute(
          "CREATE TABLE edge_text (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, txt LONGTEXT NULL,"
              + " short_txt VARCHAR(300) NULL, fixed CHAR(10) NULL)"
              + " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
      st.execute(
          "CREATE TABLE edge_binary (id INT NOT NULL PRIMARY KEY, b LONGBLOB NULL,"
              + " vb VARBINARY(300) NULL, bits BIT(8) NULL)");
      st.execute(
          "CREATE TABLE edge_time (id INT NOT NULL PRIMARY KEY, dt DATETIME(6) NULL,"
              + " ts TIMESTAMP(6) NULL, d DATE NULL, t TIME(6) NULL, y YEAR NULL)");
      st.execute(
          "CREATE TABLE edge_numeric (id INT NOT NULL PRIMARY KEY, dec_value DECIMAL(30,10),"
              + " dbl DOUBLE, flt FLOAT, big BIGINT UNSIGNED, flag TINYINT(1), e ENUM('a','b c'),"
              + " s SET('x','y'))");
      // Named so that the child sorts before its parent: restore must not care.
      st.execute(
          "CREATE TABLE zz_parent (id INT NOT NULL PRIMARY KEY, name VARCHAR(50)) ENGINE=InnoDB");
      st.execute(
          "CREATE TABLE aa_child (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL,"
              + " CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES zz_parent (id)"
              + " ON DELETE CASCADE) ENGINE=InnoDB");
      st.execute("CREATE TABLE no_key_table (a INT, b VARCHAR(20))");
    }
    insertEntities(c, "?", mysql8);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO SERVER_CHANGE_LOG (version, migrationFileName, checksum) VALUES (?, ?, ?)")) {
      for (String v : List.of("0.0.5", "1.1.0", "1.9.9", "1.10.2", "1.7.0-extension", "1.2.0")) {
        ps.setString(1, v);
        ps.setString(2, "bootstrap/sql/migrations/" + v);
        ps.setString(3, Integer.toHexString(v.hashCode()));
        ps.executeUpdate();
      }
    }
    insertTimeSeries(c, "?");
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO edge_text (txt, short_txt, fixed) VALUES (?, ?, ?)")) {
      for (String s : TRICKY_TEXT) {
        ps.setString(1, s);
        ps.setString(2, s.length() <= 300 ? s : null);
        ps.setString(3, s.length() <= 10 ? s : "x");
        ps.executeUpdate();
      }
      ps.setString(1, "NUL \0 inside");
      ps.setString(2, null);
      ps.setString(3, null);
      ps.executeUpdate();
      ps.setString(1, bigText());
      ps.setString(2, "big");
      ps.setString(3, "big");
      ps.executeUpdate();
      ps.setNull(1, java.sql.Types.VARCHAR);
      ps.setString(2, "null txt");
      ps.setString(3, "");
      ps.executeUpdate();
    }
    try (Statement st = c.createStatement()) {
      // AUTO_INCREMENT position above the highest id: must survive the round trip.
      st.execute("ALTER TABLE edge_text AUTO_INCREMENT = 1000");
    }
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO edge_binary (id, b, vb, bits) VALUES (?, ?, ?, ?)")) {
      Object[][] rows = {
        {1, allBytes(), new byte[] {0, 39, 92, 34, 10, 13, 26}, new byte[] {(byte) 0xA5}},
        {2, new byte[0], new byte[0], new byte[] {0}},
        {3, null, null, null},
        {4, bigBinary(), new byte[] {(byte) 0xff}, new byte[] {(byte) 0xff}},
      };
      for (Object[] row : rows) {
        ps.setInt(1, (Integer) row[0]);
        ps.setBytes(2, (byte[]) row[1]);
        ps.setBytes(3, (byte[]) row[2]);
        ps.setBytes(4, (byte[]) row[3]);
        ps.executeUpdate();
      }
    }
    try (Statement st = c.createStatement()) {
      st.execute("SET time_zone = '+00:00'");
      st.execute(
          "INSERT INTO edge_time VALUES"
              + " (1, '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59.654321', '1999-12-31', '838:59:59.000000', 2155),"
              + " (2, '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000', '9999-12-31', '-12:00:00.5', 1901),"
              + " (3, NULL, NULL, NULL, NULL, NULL)");
      st.execute(
          "INSERT INTO edge_numeric VALUES"
              + " (1, 12345678901234567890.0123456789, 1.7976931348623157E308, 3.14159, 18446744073709551615, 1, 'b c', 'x,y'),"
              + " (2, -0.0000000001, -2.2250738585072014E-308, -0.1, 0, 0, 'a', ''),"
              + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
      st.execute("INSERT INTO zz_parent VALUES (1, 'one'), (2, 'two')");
      st.execute("INSERT INTO aa_child (parent_id) VALUES (1), (2), (2)");
      st.execute("INSERT INTO no_key_table VALUES (1, 'dup'), (1, 'dup'), (NULL, NULL)");
    }
  }

  private static void postgres(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE table_entity (id VARCHAR(36) PRIMARY KEY, json JSONB NOT NULL,"
              + " name VARCHAR(256) GENERATED ALWAYS AS (json ->> 'name') STORED,"
              + " fqnHash VARCHAR(768) NOT NULL,"
              + " deleted BOOLEAN GENERATED ALWAYS AS ((json ->> 'deleted')::boolean) STORED,"
              + " updatedAt BIGINT GENERATED ALWAYS AS ((json ->> 'updatedAt')::bigint) STORED NOT NULL,"
              + " CONSTRAINT unique_fqn UNIQUE (fqnHash))");
      st.execute("CREATE INDEX idx_name ON table_entity (name)");
      st.execute("CREATE INDEX idx_updated ON table_entity (updatedAt DESC) WHERE NOT deleted");
      st.execute(
          "CREATE TABLE SERVER_CHANGE_LOG (installed_rank SERIAL PRIMARY KEY,"
              + " version VARCHAR(256), migrationFileName VARCHAR(256), checksum VARCHAR(256),"
              + " installed_on TIMESTAMP DEFAULT now(), migrationType VARCHAR(20), status VARCHAR(20))");
      st.execute(
          "CREATE TABLE entity_extension_time_series (entityFQNHash VARCHAR(768) NOT NULL,"
              + " extension VARCHAR(256) NOT NULL, jsonSchema VARCHAR(256) NOT NULL, json JSONB NOT NULL,"
              + " timestamp BIGINT GENERATED ALWAYS AS ((json ->> 'timestamp')::bigint) STORED NOT NULL)");
      st.execute(
          "CREATE INDEX idx_ts ON entity_extension_time_series (entityFQNHash, extension, timestamp)");
      st.execute(
          "CREATE TABLE edge_text (id SERIAL PRIMARY KEY, txt TEXT, short_txt VARCHAR(300),"
              + " fixed CHAR(10), ci TEXT COLLATE \"C\" CHECK (ci <> 'forbidden'))");
      st.execute("CREATE TABLE edge_binary (id INT PRIMARY KEY, b BYTEA)");
      st.execute(
          "CREATE TABLE edge_time (id INT PRIMARY KEY, ts TIMESTAMP(6), tstz TIMESTAMPTZ(6),"
              + " d DATE, t TIME(6), i INTERVAL)");
      st.execute(
          "CREATE TABLE edge_misc (id INT PRIMARY KEY, n NUMERIC(40,10), dbl DOUBLE PRECISION,"
              + " r REAL, arr INT[], tags TEXT[], u UUID, flag BOOLEAN, j JSON, jb JSONB)");
      st.execute(
          "CREATE TABLE identity_table (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
              + " note TEXT DEFAULT 'x''y')");
      st.execute("CREATE SEQUENCE order_seq START 5 INCREMENT 5");
      st.execute("CREATE TABLE zz_parent (id INT PRIMARY KEY, name TEXT)");
      st.execute(
          "CREATE TABLE aa_child (id SERIAL PRIMARY KEY, parent_id INT NOT NULL"
              + " CONSTRAINT fk_child_parent REFERENCES zz_parent (id) ON DELETE CASCADE)");
      st.execute("CREATE TABLE no_key_table (a INT, b VARCHAR(20))");
      st.execute("CREATE TABLE \"MixedCase Table\" (\"Weird \"\"Col\"\"\" TEXT)");
    }
    insertEntities(c, "?::jsonb", false);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO SERVER_CHANGE_LOG (version, migrationFileName, checksum, status)"
                + " VALUES (?, ?, ?, ?)")) {
      String[][] rows = {
        {"0.0.5", "COMPLETED"},
        {"1.9.9", "COMPLETED"},
        {"1.10.0", "COMPLETED"},
        {"1.7.0-extension", "COMPLETED"},
        {"2.0.0", "COMPLETED"},
        {"2.0.1", "FAILED"},
      };
      for (String[] row : rows) {
        ps.setString(1, row[0]);
        ps.setString(2, "migrations/" + row[0]);
        ps.setString(3, Integer.toHexString(row[0].hashCode()));
        ps.setString(4, row[1]);
        ps.executeUpdate();
      }
    }
    insertTimeSeries(c, "?::jsonb");
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO edge_text (txt, short_txt, fixed, ci) VALUES (?, ?, ?, ?)")) {
      for (String s : TRICKY_TEXT) {
        ps.setString(1, s);
        ps.setString(2, s);
        ps.setString(3, s.length() <= 10 ? s : "x");
        ps.setString(4, s);
        ps.executeUpdate();
      }
      ps.setString(1, bigText());
      ps.setString(2, "big");
      ps.setString(3, "big");
      ps.setString(4, null);
      ps.executeUpdate();
      ps.setNull(1, java.sql.Types.VARCHAR);
      ps.setString(2, "null txt");
      ps.setString(3, "");
      ps.setString(4, "");
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO edge_binary VALUES (?, ?)")) {
      Object[][] rows = {{1, allBytes()}, {2, new byte[0]}, {3, null}, {4, bigBinary()}};
      for (Object[] row : rows) {
        ps.setInt(1, (Integer) row[0]);
        ps.setBytes(2, (byte[]) row[1]);
        ps.executeUpdate();
      }
    }
    try (Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'America/New_York'");
      st.execute(
          "INSERT INTO edge_time VALUES"
              + " (1, '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59.654321+05:30', '1999-12-31', '23:59:59.999999', '1 year 2 mons 3 days 04:05:06.789'),"
              + " (2, '4713-01-01 00:00:00 BC', 'infinity', '-infinity', '00:00:00', '-1 day'),"
              + " (3, NULL, NULL, NULL, NULL, NULL)");
      st.execute(
          "INSERT INTO edge_misc VALUES"
              + " (1, 123456789012345678901234567890.0123456789, 'NaN', 'Infinity', '{1,NULL,3}',"
              + " '{\"a b\",\"c\\\"d\",NULL}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true,"
              + " '{\"k\": \"v\\\\u00e9\", \"dup\": 1, \"dup\": 2}', '{\"z\": \"back\\\\\\\\slash\", \"e\": \"😀\"}'),"
              + " (2, -0.0000000001, 1.7976931348623157e308, -0.1, '{}', '{}', NULL, false, 'null', '[]'),"
              + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
      st.execute("INSERT INTO identity_table (note) SELECT 'n' || g FROM generate_series(1, 7) g");
      st.execute("DELETE FROM identity_table WHERE id > 5");
      st.execute("SELECT nextval('order_seq') FROM generate_series(1, 8)");
      st.execute("INSERT INTO zz_parent VALUES (1, 'one'), (2, 'two')");
      st.execute("INSERT INTO aa_child (parent_id) VALUES (1), (2), (2)");
      st.execute("INSERT INTO no_key_table VALUES (1, 'dup'), (1, 'dup'), (NULL, NULL)");
      st.execute("INSERT INTO \"MixedCase Table\" VALUES ('tab\there')");
    }
  }

  /** On MySQL 8 the id is generated from the json (as in OpenMetadata), so it is not inserted. */
  private static void insertEntities(Connection c, String jsonPlaceholder, boolean generatedId)
      throws SQLException {
    String sql =
        generatedId
            ? "INSERT INTO table_entity (json, fqnHash) VALUES (" + jsonPlaceholder + ", ?)"
            : "INSERT INTO table_entity (json, fqnHash, id) VALUES (" + jsonPlaceholder + ", ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < 50; i++) {
        String id = String.format("00000000-0000-0000-0000-%012d", i);
        String json =
            "{\"id\": \""
                + id
                + "\", \"name\": \"table_"
                + i
                + " it's \\\"quoted\\\" \\\\ 😀\", \"deleted\": "
                + (i % 7 == 0)
                + ", \"updatedAt\": "
                + (1700000000000L + i)
                + ", \"description\": \"line\\nbreak\"}";
        ps.setString(1, json);
        ps.setString(2, Integer.toHexString(("svc.db.table_" + i).hashCode()) + i);
        if (!generatedId) {
          ps.setString(3, id);
        }
        ps.executeUpdate();
      }
    }
  }

  private static void insertTimeSeries(Connection c, String jsonPlaceholder) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO entity_extension_time_series (entityFQNHash, extension, jsonSchema, json)"
                + " VALUES (?, ?, ?, "
                + jsonPlaceholder
                + ")")) {
      for (int i = 0; i < 200; i++) {
        ps.setString(1, "hash" + (i % 10));
        ps.setString(2, "table.tableProfile");
        ps.setString(3, "tableProfile");
        ps.setString(
            4, "{\"timestamp\": " + (1700000000000L + i * 1000L) + ", \"rowCount\": " + i + "}");
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
