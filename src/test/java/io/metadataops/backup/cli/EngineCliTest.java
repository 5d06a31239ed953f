package io.metadataops.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/** The CLI contract the operator's Jobs depend on, against real servers. */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class EngineCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  record Run(int exitCode, String stdout, String stderr, JsonNode summary) {}

  static Run run(Map<String, String> env, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        EngineCli.execute(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    String[] lines = stdout.strip().split("\n");
    return new Run(
        code, stdout, err.toString(StandardCharsets.UTF_8), JSON.readTree(lines[lines.length - 1]));
  }

  static Map<String, String> env(DbServer server, ConnectionSpec spec) {
    Map<String, String> env = new HashMap<>();
    env.put("DB_SCHEME", server == DbServer.POSTGRES ? "postgresql" : "mysql");
    env.put("DB_HOST", "127.0.0.1");
    env.put("DB_PORT", String.valueOf(server.port()));
    env.put("DB_USER", DbServer.USER);
    env.put("DB_USER_PASSWORD", DbServer.PASSWORD);
    env.put("OM_DATABASE", spec.database());
    return env;
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void fullCycleThroughTheCliWithEnvironmentLikeTheServer(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec source = databases.fresh(server);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE SERVER_CHANGE_LOG (version VARCHAR(20))");
      st.execute("INSERT INTO SERVER_CHANGE_LOG VALUES ('1.9.9'), ('1.10.0'), ('1.7.0-extension')");
      st.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      st.execute("INSERT INTO t VALUES (1), (2), (3)");
    }
    String dump = dir.resolve("openmetadata-20261125T0101Z.sql.gz").toString();
    Path resultFile = dir.resolve("termination-log");
    Map<String, String> env = env(server, source);

    Run backup = run(env, "backup", "--output", dump, "--result-file", resultFile.toString());

    assertThat(backup.exitCode()).as(backup.stderr()).isZero();
    JsonNode s = backup.summary();
    assertThat(s.get("command").asText()).isEqualTo("backup");
    assertThat(s.get("status").asText()).isEqualTo("Succeeded");
    assertThat(s.get("exitCode").asInt()).isZero();
    assertThat(s.get("location").asText()).isEqualTo(dump);
    assertThat(s.get("manifestLocation").asText()).isEqualTo(dump + ".manifest.json");
    assertThat(s.get("tables").asInt()).isEqualTo(2);
    assertThat(s.get("rows").asLong()).isEqualTo(6);
    assertThat(s.get("schemaVersion").asText()).isEqualTo("1.10.0");
    assertThat(s.get("sha256").asText()).hasSize(64);
    assertThat(s.has("error")).isFalse();
    assertThat(List.of("startedAt", "completedAt", "durationSeconds", "sizeBytes", "engine"))
        .allMatch(s::has);
    assertThat(Files.readString(resultFile).strip()).isEqualTo(backup.stdout().strip());
    assertThat(backup.stderr()).contains("backup t: 3 rows");

    Run again = run(env, "backup", "--output", dump);
    assertThat(again.exitCode()).isEqualTo(21);
    assertThat(again.summary().get("errorCode").asText()).isEqualTo("ALREADY_EXISTS");

    String unsyncedDump = dir.resolve("unsynced.sql").toString();
    Run unsynced = run(env, "backup", "--output", unsyncedDump, "--no-sync");
    assertThat(unsynced.exitCode()).as(unsynced.stderr()).isZero();
    assertThat(unsynced.summary().get("rows").asLong()).isEqualTo(6);
    assertThat(run(Map.of(), "verify", "--input", unsyncedDump).exitCode()).isZero();

    ConnectionSpec target = databases.fresh(server);
    Map<String, String> targetEnv = env(server, target);
    Run mismatch = run(targetEnv, "restore", "--input", dump, "--expect-schema-version", "1.9.9");
    assertThat(mismatch.exitCode()).isEqualTo(33);
    Run restore = run(targetEnv, "restore", "--input", dump, "--expect-schema-version", "1.10.0");
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    assertThat(restore.summary().get("rows").asLong()).isEqualTo(6);
    Run notEmpty = run(targetEnv, "restore", "--input", dump);
    assertThat(notEmpty.exitCode()).isEqualTo(32);
    assertThat(notEmpty.summary().get("error").asText()).contains("--drop-existing");
    assertThat(run(targetEnv, "restore", "--input", dump, "--drop-existing").exitCode()).isZero();

    Run verify = run(Map.of(), "verify", "--input", dump);
    assertThat(verify.exitCode()).as(verify.stderr()).isZero();

    Run inspect = run(targetEnv, "inspect");
    assertThat(inspect.exitCode()).isZero();
    JsonNode report = JSON.readTree(inspect.stdout().strip().split("\n")[0]);
    assertThat(report.get("schemaVersion").asText()).isEqualTo("1.10.0");
    assertThat(report.get("privileges").get("backupPossible").asBoolean()).isTrue();

    Run delete = run(Map.of(), "delete", "--location", dump);
    assertThat(delete.exitCode()).isZero();
    assertThat(Path.of(dump)).doesNotExist();
    assertThat(run(Map.of(), "delete", "--location", dump).exitCode()).isZero();
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void passwordNeverAppearsInOutputEvenOnFailure(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec spec = databases.fresh(server);
    Map<String, String> env = env(server, spec);
    String wrong = "Sup3r-Secret-Wrong-Pw";
    env.put("DB_USER_PASSWORD", wrong);

    Run auth = run(env, "backup", "--output", dir.resolve("a.sql").toString());
    assertThat(auth.exitCode()).isEqualTo(11);
    assertThat(auth.summary().get("errorCode").asText()).isEqualTo("AUTHENTICATION");
    assertThat(auth.stdout() + auth.stderr()).doesNotContain(wrong).contains("DB_USER_PASSWORD");

    env.put("DB_USER_PASSWORD", DbServer.PASSWORD);
    Run ok = run(env, "inspect");
    Run backup = run(env, "backup", "--output", dir.resolve("b.sql").toString());
    assertThat(ok.exitCode()).isZero();
    assertThat(backup.exitCode()).isZero();
    assertThat(ok.stdout() + ok.stderr() + backup.stdout() + backup.stderr())
        .doesNotContain(DbServer.PASSWORD);

    env.put("DB_PORT", "1");
    Run unreachable = run(env, "inspect");
    assertThat(unreachable.exitCode()).isEqualTo(10);
    assertThat(unreachable.summary().get("error").asText())
        .contains("cannot reach 127.0.0.1:1")
        .contains("DB_HOST/DB_PORT");

    Path passwordFile = dir.resolve("pw");
    Files.writeString(passwordFile, DbServer.PASSWORD + "\n");
    env.put("DB_PORT", String.valueOf(server.port()));
    env.remove("DB_USER_PASSWORD");
    assertThat(run(env, "inspect", "--password-file", passwordFile.toString()).exitCode()).isZero();
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB"})
  void badArgumentsAreUsageErrors(DbServer server, Databases databases) throws Exception {
    assertThat(run(Map.of(), "backup").exitCode()).isEqualTo(2);
    assertThat(run(Map.of(), "backup", "--bogus", "x").exitCode()).isEqualTo(2);
    Run password = run(Map.of(), "backup", "--db-password", "x");
    assertThat(password.exitCode()).isEqualTo(2);
    assertThat(password.summary().get("errorCode").asText()).isEqualTo("USAGE");
    assertThat(run(Map.of(), "restore", "--input", "s3://bucket-only").exitCode()).isEqualTo(2);
    Run syncOnRestore = run(Map.of(), "restore", "--input", "dump.sql", "--no-sync");
    assertThat(syncOnRestore.exitCode()).isEqualTo(2);
    assertThat(syncOnRestore.summary().get("error").asText()).contains("--no-sync");
  }
}
