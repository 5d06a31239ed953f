package io.metadataops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.manifest.TableEntry;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Digests;
import io.metadataops.backup.testing.EngineProcess;
import io.metadataops.backup.testing.Fixtures;
import io.metadataops.k8s.EngineJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A table holding values of 20-64 MB backs up and restores in an engine JVM run as an engine Job
 * runs it by default (its JVM options, the heap sized from the default memory limit), not only in
 * the test JVM's; a heap too small for the largest row is refused with the table, the column and
 * the heap it needs, by the backup when it meets the row and by a restore before it starts.
 */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class BigValuesMemoryTest {

  /** The memory limit an engine Job's container gets unless job.resources says otherwise. */
  static final long JOB_MEMORY =
      Quantity.getAmountInBytes(new Quantity(EngineJob.DEFAULT_MEMORY)).longValueExact();

  /** A limit whose heap (about 92 MB) holds rows up to 7 MB: too small for a 64 MB value. */
  static final long SMALL_MEMORY = 192L << 20;

  private static final Pattern HEAP = Pattern.compile("engine heap (\\d+) MB");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"POSTGRES", "MARIADB", "MYSQL8"})
  void valuesOf20To64MbBackUpAndRestoreUnderTheJobsDefaultMemoryLimit(
      DbServer server, Databases databases) throws Exception {
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
    EngineProcess.Result backup = asJob(JOB_MEMORY, server, source, "backup", "--output", dump);
    assertThat(backup.exitCode()).as("backup output: %s", backup.output()).isZero();
    // The heap the Job's options give in its default limit, not one picked for the test.
    Matcher heap = HEAP.matcher(backup.output());
    assertThat(heap.find()).as("backup output: %s", backup.output()).isTrue();
    assertThat(Long.parseLong(heap.group(1))).isLessThanOrEqualTo(JOB_MEMORY / 2 >> 20);
    // The manifest records the largest row, for a restore to check its heap against.
    TableEntry big =
        Digests.manifest(dump).tables().stream()
            .filter(t -> t.name().equals("big"))
            .findFirst()
            .orElseThrow();
    assertThat(big.largestRowBytes()).isBetween(64L << 20, 72L << 20);

    ConnectionSpec target = databases.fresh(server);
    EngineProcess.Result restore = asJob(JOB_MEMORY, server, target, "restore", "--input", dump);
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
  void aHeapTooSmallForTheLargestRowIsRefusedNamingTableColumnAndHeapNeeded(
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
    Path tooBig = dir.resolve("too-big.sql.gz");
    EngineProcess.Result refused =
        asJob(SMALL_MEMORY, server, source, "backup", "--output", tooBig);
    assertThat(refused.exitCode()).as("backup output: %s", refused.output()).isEqualTo(34);
    assertThat(refused.output())
        .contains("ran out of memory while backing up table big")
        // 64 MB of text and the row's framing: four times that plus 64 MB.
        .contains("its largest row holds 65 MB and needs a heap of at least 321 MB")
        .contains("column t up to 64 MB")
        .contains("give the engine more memory");
    assertThat(tooBig).doesNotExist();
    assertThat(Path.of(tooBig + ".manifest.json")).doesNotExist();

    // Taken with the default memory, the backup cannot be restored in the small heap: refused
    // before the target is touched.
    Path dump = dir.resolve("big.sql.gz");
    EngineProcess.Result backup = asJob(JOB_MEMORY, server, source, "backup", "--output", dump);
    assertThat(backup.exitCode()).as("backup output: %s", backup.output()).isZero();
    ConnectionSpec target = databases.fresh(server);
    EngineProcess.Result small = asJob(SMALL_MEMORY, server, target, "restore", "--input", dump);
    assertThat(small.exitCode()).as("restore output: %s", small.output()).isEqualTo(34);
    assertThat(small.output())
        .contains("cannot read back the largest rows of the backup")
        .contains("table big (rows up to 65 MB need a heap of 321 MB)")
        .contains("nothing was restored");
    // Untouched: a restore without --drop-existing (refused on a non-empty target) goes through.
    EngineProcess.Result restore = asJob(JOB_MEMORY, server, target, "restore", "--input", dump);
    assertThat(restore.exitCode()).as("restore output: %s", restore.output()).isZero();
    assertThat(Digests.of(target)).isEqualTo(Digests.of(source));
  }

  private static EngineProcess.Result asJob(
      long memoryLimit,
      DbServer server,
      ConnectionSpec spec,
      String command,
      String flag,
      Path dump)
      throws Exception {
    return EngineProcess.asJob(
        EngineJob.ENGINE_JAVA_OPTS, memoryLimit, env(server, spec), command, flag, dump.toString());
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
