package io.metadataops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.manifest.Manifest;
import io.metadataops.backup.sql.PostgresDialect;
import io.metadataops.backup.storage.S3Settings;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Digests;
import io.metadataops.backup.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Backup and restore of the OpenMetadata-like fixture on every real server. */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class RoundTripTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
  private final BackupEngine engine =
      new BackupEngine(S3Settings.defaults(), Progress.to(new PrintStream(progressBytes, true)));

  @ParameterizedTest
  @EnumSource(DbServer.class)
  void restoresEveryTableWithIdenticalContentGeneratedColumnsAndPositions(
      DbServer server, Databases databases) throws Exception {
    ConnectionSpec source = databases.fresh(server);
    Fixtures.create(server, source);
    Path dump = dir.resolve("openmetadata-20261125T0101Z.sql.gz");

    // PostgreSQL: every table is read in page ranges over two connections (big tables' path).
    System.setProperty(PostgresDialect.PARALLEL_TABLE_BYTES_PROPERTY, "0");
    Summary backup;
    try {
      backup = engine.backup(source, BackupOptions.to(dump.toString()));
    } finally {
      System.clearProperty(PostgresDialect.PARALLEL_TABLE_BYTES_PROPERTY);
    }

    assertThat(backup.status()).isEqualTo("Succeeded");
    assertThat(backup.engine())
        .isEqualTo(
            switch (server) {
              case MARIADB -> "mariadb";
              case MYSQL8 -> "mysql";
              case POSTGRES -> "postgresql";
            });
    String expectedVersion =
        server == DbServer.POSTGRES
            ? Fixtures.POSTGRES_SCHEMA_VERSION
            : Fixtures.MYSQL_SCHEMA_VERSION;
    assertThat(backup.schemaVersion()).isEqualTo(expectedVersion);
    assertThat(backup.sha256()).isEqualTo(sha256(dump));
    assertThat(backup.sizeBytes()).isEqualTo(Files.size(dump));
    Manifest manifest = Digests.manifest(dump);
    Map<String, String> sourceDigests = Digests.of(source);
    assertThat(Digests.of(manifest)).isEqualTo(sourceDigests);
    assertThat(manifest.tables()).hasSize(server == DbServer.POSTGRES ? 12 : 10);
    assertThat(progressBytes.toString(StandardCharsets.UTF_8)).contains("backup edge_text");

    ConnectionSpec target = databases.fresh(server);
    Summary restore = engine.restore(target, RestoreOptions.from(dump.toString()));

    assertThat(restore.status()).isEqualTo("Succeeded");
    assertThat(restore.rows()).isEqualTo(manifest.totalRows());
    assertThat(Digests.of(target)).isEqualTo(sourceDigests);
    assertSameValues(server, source, target);
  }

  @ParameterizedTest
  @EnumSource(DbServer.class)
  void dumpLoadsWithTheDatabasesOwnClient(DbServer server, Databases databases) throws Exception {
    ConnectionSpec source = databases.fresh(server);
    Fixtures.create(server, source);
    Path dump = dir.resolve("native.sql.gz");
    engine.backup(source, BackupOptions.to(dump.toString()));
    ConnectionSpec target = databases.fresh(server);

    String client =
        server == DbServer.POSTGRES
            ? "gunzip -c '"
                + dump
                + "' | psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "
                + server.port()
                + " -U "
                + DbServer.USER
                + " -d "
                + target.database()
                + " -f -"
            : "gunzip -c '"
                + dump
                + "' | mariadb --default-character-set=utf8mb4 -h 127.0.0.1 -P "
                + server.port()
                + " -u "
                + DbServer.USER
                + " "
                + target.database();
    ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", client);
    pb.environment().put("PGPASSWORD", DbServer.PASSWORD);
    pb.environment().put("MYSQL_PWD", DbServer.PASSWORD);
    pb.redirectErrorStream(true);
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("client output: %s", output).isZero();

    assertThat(Digests.of(target)).isEqualTo(Digests.of(Digests.manifest(dump)));
    assertSameValues(server, source, target);
  }

  /** Direct checks that do not rely on the engine's checksums. */
  private static void assertSameValues(
      DbServer server, ConnectionSpec source, ConnectionSpec target) throws Exception {
    String[] queries = {
      "SELECT id, name, deleted, updatedAt FROM table_entity ORDER BY id",
      "SELECT id, txt, short_txt FROM edge_text ORDER BY id",
      "SELECT id, b FROM edge_binary ORDER BY id",
      "SELECT * FROM edge_time ORDER BY id",
      "SELECT entityFQNHash, timestamp FROM entity_extension_time_series ORDER BY 1, 2",
      "SELECT * FROM no_key_table ORDER BY 1, 2",
    };
    try (Connection s = Fixtures.connect(source);
        Connection t = Fixtures.connect(target)) {
      for (String query : queries) {
        assertThat(rows(t, query)).as(query).isEqualTo(rows(s, query)).isNotEmpty();
      }
      // Generated columns were recomputed from the json, not lost.
      assertThat(rows(t, "SELECT name FROM table_entity WHERE id LIKE '%0001'"))
          .containsExactly(List.of("table_1 it's \"quoted\" \\ 😀"));
      // Text and binary survive byte for byte, the > 16 MB values included.
      assertThat(rows(t, "SELECT txt FROM edge_text WHERE short_txt = 'big'"))
          .containsExactly(List.of(Fixtures.bigText()));
      try (Statement st = t.createStatement();
          ResultSet rs = st.executeQuery("SELECT b FROM edge_binary WHERE id = 4")) {
        rs.next();
        assertThat(rs.getBytes(1)).isEqualTo(Fixtures.bigBinary());
      }
      for (String text : Fixtures.TRICKY_TEXT) {
        assertThat(rows(t, "SELECT id FROM edge_text WHERE txt = " + literal(server, text)))
            .as("text %s", text)
            .hasSize(1);
      }
      // Foreign keys were recreated and hold.
      try (Statement st = t.createStatement()) {
        st.execute("DELETE FROM zz_parent WHERE id = 2");
      }
      assertThat(rows(t, "SELECT COUNT(*) FROM aa_child")).containsExactly(List.of("1"));
      // Auto-increment and sequence positions were kept.
      if (server == DbServer.POSTGRES) {
        assertThat(rows(t, "SELECT nextval('order_seq')")).containsExactly(List.of("45"));
        try (Statement st = t.createStatement()) {
          st.execute("INSERT INTO identity_table (note) VALUES ('after')");
          st.execute("INSERT INTO edge_text (txt) VALUES ('after')");
        }
        assertThat(rows(t, "SELECT max(id) FROM identity_table")).containsExactly(List.of("8"));
        assertThat(rows(t, "SELECT max(id) FROM edge_text")).containsExactly(List.of("13"));
        assertThat(rows(t, "SELECT \"Weird \"\"Col\"\"\" FROM \"MixedCase Table\""))
            .containsExactly(List.of("tab\there"));
      } else {
        try (Statement st = t.createStatement()) {
          st.execute("INSERT INTO edge_text (txt) VALUES ('after')");
        }
        assertThat(rows(t, "SELECT max(id) FROM edge_text")).containsExactly(List.of("1000"));
      }
    }
  }

  private static String literal(DbServer server, String text) {
    if (server == DbServer.POSTGRES) {
      return "'" + text.replace("'", "''") + "'";
    }
    StringBuilder hex = new StringBuilder("CONVERT(X'");
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hex.append(String.format("%02X", b));
    }
    return hex.append("' USING utf8mb4)").toString();
  }

  static List<List<String>> rows(Connection c, String sql) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          int type = rs.getMetaData().getColumnType(i);
          boolean binary =
              type == java.sql.Types.BINARY
                  || type == java.sql.Types.VARBINARY
                  || type == java.sql.Types.LONGVARBINARY
                  || type == java.sql.Types.BLOB;
          byte[] bytes = binary ? rs.getBytes(i) : null;
          row.add(
              binary
                  ? (bytes == null ? null : java.util.HexFormat.of().formatHex(bytes))
                  : rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(Files.readAllBytes(file));
    return java.util.HexFormat.of().formatHex(md.digest());
  }
}
