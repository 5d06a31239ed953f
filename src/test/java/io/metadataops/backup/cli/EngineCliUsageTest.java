package io.metadataops.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the CLI reads its arguments, on paths that need no database. */
@Tag("unit")
class EngineCliUsageTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  record Run(int exitCode, String stdout, String stderr, JsonNode summary) {
    String error() {
      return summary.path("error").asText();
    }
  }

  private static Run run(Map<String, String> env, String... args) throws Exception {
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
    JsonNode summary = JSON.readTree(lines[lines.length - 1]);
    assertThat(summary.get("exitCode").asInt()).isEqualTo(code);
    return new Run(code, stdout, err.toString(StandardCharsets.UTF_8), summary);
  }

  private static Run run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  private static void assertUsage(Run run, String... messageParts) {
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    assertThat(run.summary().get("status").asText()).isEqualTo("Failed");
    assertThat(run.summary().get("errorCode").asText()).isEqualTo("USAGE");
    assertThat(run.error()).contains(messageParts).endsWith("(see docs/backup-engine.md)");
    assertThat(run.stderr()).contains("error: " + run.error());
  }

  @Test
  void onlyTheEngineSubcommandsAreCommands() throws Exception {
    for (String command :
        new String[] {"backup", "restore", "verify", "inspect", "delete", "drop-scratch"}) {
      assertThat(EngineCli.isSubcommand(command)).as(command).isTrue();
    }
    assertThat(EngineCli.isSubcommand("")).isFalse();
    assertThat(EngineCli.isSubcommand("--db-host")).isFalse();
    assertThat(EngineCli.isSubcommand("operator")).isFalse();

    Run none = run();
    assertUsage(
        none,
        "unknown command ''",
        "backup",
        "restore",
        "verify",
        "inspect",
        "delete",
        "drop-scratch");
    assertThat(none.summary().get("command").asText()).isEmpty();
    Run unknown = run("upgrade", "--db-host", "x");
    assertUsage(unknown, "unknown command 'upgrade'");
    assertThat(unknown.summary().get("command").asText()).isEqualTo("upgrade");
  }

  @Test
  void unknownOptionsAndStrayArgumentsAreUsageErrors() throws Exception {
    assertUsage(run("backup", "--bogus", "x"), "unknown option --bogus");
    assertUsage(run("backup", "--bogus=x"), "unknown option --bogus");
    assertUsage(run("backup", "stray"), "unexpected argument 'stray'");
    assertUsage(run("backup", "-o", "x"), "unexpected argument '-o'");
    assertUsage(run("backup", "--"), "unknown option --");
    assertUsage(run("backup", "@args.txt"), "unexpected argument '@args.txt'");
    // Options belong to their subcommand.
    assertUsage(run("restore", "--input", "d.sql", "--no-sync"), "unknown option --no-sync");
    assertUsage(run("backup", "--drop-existing"), "unknown option --drop-existing");
    assertUsage(run("delete", "--location", "x", "--scratch-database", "s"), "--scratch-database");
    // A flag takes no separate value.
    assertUsage(run("backup", "--no-sync", "true"), "unexpected argument 'true'");
  }

  @Test
  void anOptionWithoutItsValueIsAUsageError() throws Exception {
    assertUsage(run("delete", "--location"), "--location needs a value");
    assertUsage(run("delete", "--location", "  "), "--location is required");
    assertUsage(run("delete"), "--location is required");
    assertUsage(run("verify"), "--input is required");
    assertUsage(
        run("verify", "--input", "d.sql", "--keep-scratch"),
        "--keep-scratch only makes sense with --scratch-database");
    assertUsage(
        run(
            "drop-scratch",
            "--db-scheme",
            "mysql",
            "--db-host",
            "127.0.0.1",
            "--database",
            "openmetadata_db"),
        "--scratch-database is required");
  }

  @Test
  void thePasswordIsNeverAcceptedAsAFlagAndNeverEchoed() throws Exception {
    for (String[] args :
        new String[][] {
          {"backup", "--db-password", "Hunter2-secret"},
          {"backup", "--db-password=Hunter2-secret"},
          {"inspect", "--password", "Hunter2-secret"},
          {"restore", "--password=Hunter2-secret", "--input", "x"}
        }) {
      Run run = run(args);
      assertUsage(run, "the password is never accepted as a flag", "DB_USER_PASSWORD");
      assertThat(run.stdout() + run.stderr()).doesNotContain("Hunter2-secret");
    }
  }

  @Test
  void connectionSettingsComeFromFlagsOrTheServersEnvironment() throws Exception {
    assertUsage(run("backup", "--output", "x.sql"), "database connection incomplete");
    assertUsage(
        run(Map.of("DB_SCHEME", "mysql", "DB_HOST", "h"), "inspect"),
        "database connection incomplete");
    assertUsage(
        run(
            Map.of("DB_SCHEME", "mysql", "DB_HOST", "h", "OM_DATABASE", "d"),
            "inspect",
            "--db-port",
            "x"),
        "--db-port/DB_PORT must be a number, got 'x'");
    assertUsage(
        run(
            Map.of("DB_SCHEME", "mysql", "DB_HOST", "h", "OM_DATABASE", "d", "DB_PORT", "nope"),
            "inspect"),
        "--db-port/DB_PORT must be a number, got 'nope'");
    // A blank flag falls back to the environment.
    assertUsage(
        run(
            Map.of("DB_SCHEME", "mysql", "DB_HOST", "h", "OM_DATABASE", "d", "DB_PORT", "nope"),
            "inspect",
            "--db-port",
            " "),
        "got 'nope'");
    assertUsage(
        run(
            Map.of("DB_SCHEME", "mysql", "DB_HOST", "h", "OM_DATABASE", "d"),
            "inspect",
            "--password-file",
            dir.resolve("missing").toString()),
        "cannot read --password-file");
    assertUsage(
        run(
            Map.of("DB_SCHEME", "mysql", "DB_HOST", "h", "OM_DATABASE", "d"),
            "restore",
            "--input",
            "x",
            "--parallel",
            "two"),
        "--parallel must be a number, got 'two'");
    assertUsage(
        run(
            Map.of("DB_SCHEME", "mysql", "DB_HOST", "h", "OM_DATABASE", "d"),
            "restore",
            "--input",
            "x",
            "--allow-schema-mismatch"),
        "--allow-schema-mismatch only makes sense with --expect-schema-version");
    assertUsage(
        run(
            Map.of("DB_SCHEME", "mysql", "DB_HOST", "h", "OM_DATABASE", "d"),
            "restore",
            "--input",
            "x",
            "--allow-schema-mismatch=false",
            "--drop-existing",
            "--parallel",
            "x"),
        "--parallel must be a number");
  }

  @Test
  void deleteAndVerifyNeedNoDatabaseAndTheLastOfARepeatedOptionCounts() throws Exception {
    Path result = dir.resolve("termination-log");
    Path absent = dir.resolve("absent.sql.gz");
    Run delete =
        run(
            "delete",
            "--location",
            dir.resolve("other.sql").toString(),
            "--location=" + absent,
            "--result-file",
            result.toString(),
            "--s3-path-style");
    assertThat(delete.exitCode()).as(delete.stderr()).isZero();
    assertThat(delete.summary().get("command").asText()).isEqualTo("delete");
    assertThat(delete.summary().get("status").asText()).isEqualTo("Succeeded");
    assertThat(delete.summary().get("location").asText()).isEqualTo(absent.toString());
    assertThat(Files.readString(result)).isEqualTo(delete.stdout().strip() + "\n");

    Run verify = run("verify", "--input", absent.toString(), "--result-file", result.toString());
    assertThat(verify.exitCode()).isEqualTo(22);
    assertThat(verify.summary().get("errorCode").asText()).isEqualTo("NOT_FOUND");
    assertThat(Files.readString(result)).isEqualTo(verify.stdout().strip() + "\n");
  }

  @Test
  void aUsageErrorWritesNoResultFile() throws Exception {
    Path result = dir.resolve("termination-log");
    Run run = run("delete", "--result-file", result.toString(), "--bogus");
    assertUsage(run, "unknown option --bogus");
    assertThat(result).doesNotExist();
  }
}
