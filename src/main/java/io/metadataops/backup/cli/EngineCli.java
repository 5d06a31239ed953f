package io.metadataops.backup.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metadataops.backup.BackupEngine;
import io.metadataops.backup.BackupOptions;
import io.metadataops.backup.Compression;
import io.metadataops.backup.ConnectionSpec;
import io.metadataops.backup.DbScheme;
import io.metadataops.backup.EngineException;
import io.metadataops.backup.ErrorCode;
import io.metadataops.backup.InspectReport;
import io.metadataops.backup.Progress;
import io.metadataops.backup.RestoreOptions;
import io.metadataops.backup.Summary;
import io.metadataops.backup.storage.S3Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line entry of the backup engine (the contract is in docs/backup-engine.md). Progress goes
 * to stderr; stdout ends with the one-line JSON summary, also written to --result-file.
 */
public final class EngineCli {

  private static final Set<String> SUBCOMMANDS =
      Set.of("backup", "restore", "verify", "inspect", "delete");

  private static final Set<String> CONNECTION_OPTIONS =
      Set.of(
          "db-scheme",
          "db-host",
          "db-port",
          "db-user",
          "database",
          "db-params",
          "password-file",
          "db-schema");
  private static final Set<String> STORAGE_OPTIONS = Set.of("s3-endpoint", "s3-region");
  private static final Set<String> COMMON_FLAGS = Set.of("s3-path-style");

  private static final ObjectMapper JSON = new ObjectMapper();

  private EngineCli() {}

  public static boolean isSubcommand(String name) {
    return SUBCOMMANDS.contains(name);
  }

  public static int run(String... args) {
    // Drivers log through java.util.logging; the jar's log manager must be chosen before that
    // happens (Quarkus does it when it runs, the engine runs without Quarkus).
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
    }
    // Until Quarkus configures logging (never, here) every level is enabled, and the drivers'
    // trace calls (pgjdbc: one per COPY row) would each build a log record: keep warnings only.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    return execute(args, System.getenv(), System.out, System.err);
  }

  /** The CLI with its environment and streams passed in, so tests need no child process. */
  public static int execute(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "" : args[0];
    Summary summary = Summary.started(command, Instant.now());
    String password = env.get("DB_USER_PASSWORD");
    String resultFile = null;
    try {
      if (!isSubcommand(command)) {
        throw Args.usage("unknown command '" + command + "': use " + SUBCOMMANDS);
      }
      List<String> rest = Arrays.asList(args).subList(1, args.length);
      Args options = Args.parse(rest, valuedOptions(command), flags(command));
      resultFile = options.get("result-file");
      ConnectionSpec spec = connection(command, options, env);
      if (spec != null) {
        password = spec.password();
      }
      BackupEngine engine =
          new BackupEngine(
              new S3Settings(
                  options.get("s3-endpoint"),
                  options.get("s3-region"),
                  options.flag("s3-path-style")),
              Progress.to(err));
      summary =
          switch (command) {
            case "backup" -> engine.backup(require(spec), backupOptions(options));
            case "restore" -> engine.restore(require(spec), restoreOptions(options));
            case "verify" ->
                engine.verify(spec, required(options, "input"), options.get("scratch-database"));
            case "delete" -> engine.delete(required(options, "location"));
            case "inspect" -> inspect(engine, require(spec), out, password);
            default -> throw new IllegalStateException(command);
          };
    } catch (EngineException e) {
      summary = summary.failed(e.code(), redact(e.getMessage(), password), Instant.now());
    } catch (RuntimeException | Error e) {
      summary =
          summary.failed(
              ErrorCode.INTERNAL,
              redact(
                  "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), password),
              Instant.now());
      err.println(redact(stackTrace(e), password));
    }
    String line = summary.toJsonLine();
    if (!summary.succeeded()) {
      err.println("error: " + summary.error());
    }
    out.println(line);
    out.flush();
    if (resultFile != null) {
      writeResultFile(resultFile, line, err);
    }
    return summary.exitCode();
  }

  private static Summary inspect(
      BackupEngine engine, ConnectionSpec spec, PrintStream out, String password) {
    Instant started = Instant.now();
    InspectReport report;
    EngineException failure = null;
    try {
      report = engine.inspect(spec);
    } catch (EngineException e) {
      failure = e;
      boolean reachable = e.code() != ErrorCode.UNREACHABLE;
      boolean authenticated = reachable && e.code() != ErrorCode.AUTHENTICATION;
      report =
          new InspectReport(
              reachable,
              authenticated,
              null,
              null,
              spec.database(),
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              redact(e.getMessage(), password),
              e.code().name());
    }
    try {
      out.println(JSON.findAndRegisterModules().writeValueAsString(report));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (failure != null) {
      throw failure;
    }
    return Summary.started("inspect", started)
        .withContent(report.tableCount(), report.totalRowEstimate(), report.schemaVersion())
        .withServer(report.engine(), report.serverVersion())
        .succeeded(Instant.now());
  }

  private static Set<String> valuedOptions(String command) {
    Set<String> set = new java.util.HashSet<>(CONNECTION_OPTIONS);
    set.addAll(STORAGE_OPTIONS);
    set.add("result-file");
    switch (command) {
      case "backup" -> set.addAll(Set.of("output", "compress", "include", "exclude"));
      case "restore" -> set.addAll(Set.of("input", "expect-schema-version", "parallel"));
      case "verify" -> set.addAll(Set.of("input", "scratch-database"));
      case "delete" -> set.add("location");
      default -> {}
    }
    return set;
  }

  private static Set<String> flags(String command) {
    Set<String> set = new java.util.HashSet<>(COMMON_FLAGS);
    if (command.equals("restore")) {
      set.addAll(Set.of("drop-existing", "allow-schema-mismatch"));
    }
    if (command.equals("backup")) {
      set.add("no-sync");
    }
    return set;
  }

  /** Connection settings from flags, falling back to the OpenMetadata server's env vars. */
  static ConnectionSpec connection(String command, Args options, Map<String, String> env) {
    String scheme = options.get("db-scheme", env, "DB_SCHEME");
    String host = options.get("db-host", env, "DB_HOST");
    String database = options.get("database", env, "OM_DATABASE");
    boolean optional = command.equals("delete") || command.equals("verify");
    if (optional && options.get("scratch-database") == null) {
      return null;
    }
    if (scheme == null || host == null || database == null) {
      throw Args.usage(
          "database connection incomplete: set --db-scheme/DB_SCHEME, --db-host/DB_HOST and"
              + " --database/OM_DATABASE");
    }
    DbScheme dbScheme = DbScheme.parse(scheme);
    String portText = options.get("db-port", env, "DB_PORT");
    int port;
    try {
      port = portText == null ? dbScheme.defaultPort() : Integer.parseInt(portText.trim());
    } catch (NumberFormatException e) {
      throw Args.usage("--db-port/DB_PORT must be a number, got '" + portText + "'");
    }
    return new ConnectionSpec(
        dbScheme,
        host,
        port,
        options.get("db-user", env, "DB_USER"),
        password(options, env),
        database,
        options.get("db-schema"),
        options.get("db-params", env, "DB_PARAMS"));
  }

  private static String password(Args options, Map<String, String> env) {
    String file = options.get("password-file");
    if (file != null) {
      try {
        String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        return content.endsWith("\n") ? content.stripTrailing() : content;
      } catch (IOException e) {
        throw Args.usage(
            "cannot read --password-file " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    return env.get("DB_USER_PASSWORD");
  }

  private static BackupOptions backupOptions(Args options) {
    String compress = options.get("compress");
    return new BackupOptions(
        required(options, "output"),
        compress == null ? null : Compression.parse(compress),
        options.list("include"),
        options.list("exclude"),
        !options.flag("no-sync"));
  }

  private static RestoreOptions restoreOptions(Args options) {
    if (options.flag("allow-schema-mismatch") && options.get("expect-schema-version") == null) {
      throw Args.usage("--allow-schema-mismatch only makes sense with --expect-schema-version");
    }
    String parallel = options.get("parallel");
    int connections;
    try {
      connections =
          parallel == null ? RestoreOptions.DEFAULT_PARALLEL : Integer.parseInt(parallel.trim());
    } catch (NumberFormatException e) {
      throw Args.usage("--parallel must be a number, got '" + parallel + "'");
    }
    return new RestoreOptions(
        required(options, "input"),
        options.flag("drop-existing"),
        options.get("expect-schema-version"),
        options.flag("allow-schema-mismatch"),
        connections);
  }

  private static String required(Args options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw Args.usage("--" + name + " is required");
    }
    return value;
  }

  private static ConnectionSpec require(ConnectionSpec spec) {
    if (spec == null) {
      throw Args.usage("database connection settings are required");
    }
    return spec;
  }

  private static void writeResultFile(String path, String line, PrintStream err) {
    try {
      Files.writeString(
          Path.of(path),
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      err.println("warning: cannot write --result-file " + path + ": " + e.getMessage());
    }
  }

  /** Defence in depth: no message leaves the engine with the password in it. */
  static String redact(String text, String password) {
    if (text == null || password == null || password.isEmpty()) {
      return text;
    }
    return text.replace(password, "***");
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
