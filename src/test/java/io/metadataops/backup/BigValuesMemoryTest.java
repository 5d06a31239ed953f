package io.metadataops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Digests;
import io.metadataops.backup.testing.EngineProcess;
import io.metadataops.backup.testing.Fixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A table holding values of 20-64 MB backs up and restores in an engine JVM with a bounded heap
 * (400 MB: four times the largest row plus 64 MB, the rule {@code Memory} states), not only in the
 * test JVM's.
 */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class BigValuesMemoryTest {

  static final String HEAP = System.getProperty("metadataops.test.engineHeap", "400m");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"POSTGRES", "MARIADB", "MYSQL8"})
  void valuesOf20To64MbBackUpAndRestoreInABoundedHeap(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec source = databases.fresh(server);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      if (server == DbServer.POSTGRES) {
        st.execute("CREATE TABLE big (id integer PRIMARY KEY, t text, b bytea)");
        // 64 MB of text; 20 MB of text and 24 MB of bytea (48 MB as COPY hex).
        st.execute("INSERT INTO big SELECT 1, repeat('0123456789abcdef', 4 * 1024 * 1024), NULL");
        st.execute(
            "INSERT INTO big SELECT 2, repeat('x', 20 * 1024 * 1024),"
                + " decode(repeat('5a', 24 * 1024 * 1024), 'hex')");
        st.execute("INSERT INTO big SELECT g, 'small', '\\x00' FROM generate_series(3, 1000) g");
      } else {
        st.execute("CREATE TABLE big (id int PRIMARY KEY, t longtext, b longblob)");
        st.execute("INSERT INTO big SELECT 1, REPEAT('0123456789abcdef', 4 * 1024 * 1024), NULL");
        st.execute(
            "INSERT INTO big SELECT 2, REPEAT('x', 20 * 1024 * 1024),"
                + " UNHEX(REPEAT('5a', 24 * 1024 * 1024))");
        st.execute(
            "INSERT INTO big SELECT seq, 'small', X'00' FROM (SELECT 3 + a.i * 100 + b.i AS seq"
                + " FROM (SELECT 0 i UNION SELECT 1 UNION SELECT 2) a,"
                + " (SELECT 0 i UNION SELECT 1 UNION SELECT 2 UNION SELECT 3) b) s");
      }
    }
    Path dump = dir.resolve("big.sql.gz");
    EngineProcess.Result backup =
        EngineProcess.run(HEAP, env(server, source), "backup", "--output", dump.toString());
    assertThat(backup.exitCode()).as("backup output: %s", backup.output()).isZero();

    ConnectionSpec target = databases.fresh(server);
    EngineProcess.Result restore =
        EngineProcess.run(HEAP, env(server, target), "restore", "--input", dump.toString());
    assertThat(restore.exitCode()).as("restore output: %s", restore.output()).isZero();
    assertThat(Digests.of(target)).isEqualTo(Digests.of(source));
    try (Connection c = Fixtures.connect(target)) {
      assertThat(
              RoundTripTest.rows(
                  c,
                  server == DbServer.POSTGRES
                      ? "SELECT length(t), length(b) FROM big WHERE id <= 2 ORDER BY id"
                      : "SELECT LENGTH(t), LENGTH(b) FROM big WHERE id <= 2 ORDER BY id"))
          .containsExactly(
              java.util.Arrays.asList(String.valueOf(64 << 20), null),
              List.of(String.valueOf(20 << 20), String.valueOf(24 << 20)));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"POSTGRES", "MARIADB"})
  void aHeapTooSmallForTheLargestRowFailsTheBackupNamingTheTable(
      DbServer server, Databases databases) throws Exception {
    ConnectionSpec source = databases.fresh(server);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      st.execute(
          server == DbServer.POSTGRES
              ? "CREATE TABLE big (id integer PRIMARY KEY, t text)"
              : "CREATE TABLE big (id int PRIMARY KEY, t longtext)");
      st.execute(
          "INSERT INTO big SELECT 1, "
              + (server == DbServer.POSTGRES ? "repeat" : "REPEAT")
              + "('0123456789abcdef', 4 * 1024 * 1024)");
    }
    Path dump = dir.resolve("too-big.sql.gz");
    EngineProcess.Result backup =
        EngineProcess.run("96m", env(server, source), "backup", "--output", dump.toString());
    assertThat(backup.exitCode()).as("backup output: %s", backup.output()).isEqualTo(34);
    assertThat(backup.output())
        .contains("ran out of memory while backing up table big")
        .contains("give the engine more memory");
    assertThat(dump).doesNotExist();
    assertThat(Path.of(dump + ".manifest.json")).doesNotExist();
  }

  private static Map<String, String> env(DbServer server, ConnectionSpec spec) {
    Map<String, String> env = new HashMap<>();
    env.put("DB_SCHEME", server == DbServer.POSTGRES ? "postgresql" : "mysql");
    env.put("DB_HOST", "127.0.0.1");
    env.put("DB_PORT", String.valueOf(server.port()));
    env.put("DB_USER", DbServer.USER);
    env.put("DB_USER_PASSWORD", DbServer.PASSWORD);
    env.put("OM_DATABASE", spec.database());
    if (server != DbServer.POSTGRES) {
      env.put("DB_PARAMS", "allowPublicKeyRetrieval=true&useSSL=false");
    }
    return env;
  }
}
