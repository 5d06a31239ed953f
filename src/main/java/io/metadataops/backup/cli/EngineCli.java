package io.metadataops.backup.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metadataops.backup.BackupEngine;
import io.metadataops.backup.BackupOptions;
import io.metadataops.backup.Compression;
import io.metadataops.backup.InspectReport;
import io.metadataops.backup.RestoreOptions;
import io.metadataops.backup.Summary;
import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.DbScheme;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.common.Progress;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Command-line entry of the backup engine (the contract is in docs/backup-engine.md). Progress goes
 * to stderr; stdout ends with the one-line JSON summary, also written to --result-file.
 *
 * <p>Arguments are read by picocli ({@code --name value}, {@code --name=value}, boolean {@code
 * --flag} or {@code --flag=true|false}; a repeated option keeps its last value); every mistake is a
 * {@link ErrorCode#USAGE} summary, never picocli's own output.
 */
public final class EngineCli {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The subcommands' names, in the order the usage message gives them. */
  private static final List<String> SUBCOMMANDS =
      Arrays.stream(Engine.class.getAnnotation(Command.class).subcommands())
          .map(c -> c.getAnnotation(Command.class).name())
          .toList();

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
    ConnectionSpec spec = null;
    try {
      if (!isSubcommand(command)) {
        throw usage("unknown command '" + command + "': use " + SUBCOMMANDS);
      }
      EngineCommand parsed = parse(args);
      resultFile = parsed.resultFile;
      spec = parsed.connection(env);
      if (spec != null) {
        password = spec.password();
      }
      BackupEngine engine =
          new BackupEngine(
              new S3Settings(parsed.s3Endpoint, parsed.s3Region, parsed.s3PathStyle),
              Progress.to(err));
      summary = parsed.run(engine, spec, out, password);
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
    if (spec != null) {
      summary = summary.withDatabase(spec.display());
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

  /** The subcommand {@code args} name, its options set from them. */
  private static EngineCommand parse(String[] args) {
    CommandLine cli =
        new CommandLine(new Engine())
            .setExpandAtFiles(false) // @file is a file name like any other
            .setOverwrittenOptionsAllowed(true) // the last one counts
            .setAllowOptionsAsOptionParameters(true) // --output takes the next argument, whatever
            .setEndOfOptionsDelimiter("\0"); // "--" is an unknown option, not the end of options
    try {
      return (EngineCommand) cli.parseArgs(args).subcommand().commandSpec().userObject();
    } catch (UnmatchedArgumentException e) {
      throw usage(unmatched(e.getUnmatched()));
    } catch (MissingParameterException e) {
      throw usage(
          e.getMissing().get(0) instanceof OptionSpec option
              ? option.longestName() + " needs a value"
              : e.getMessage());
    } catch (ParameterException e) {
      throw usage(e.getMessage());
    }
  }

  private static String unmatched(List<String> arguments) {
    for (String argument : arguments) {
      String name = argument.startsWith("--") ? argument.substring(2).split("=", 2)[0] : null;
      if ("db-password".equals(name) || "password".equals(name)) {
        return "the password is never accepted as a flag: use env DB_USER_PASSWORD or"
            + " --password-file";
      }
    }
    String first = arguments.get(0);
    return first.startsWith("--")
        ? "unknown option --" + first.substring(2).split("=", 2)[0]
        : "unexpected argument '" + first + "'";
  }

  @Command(
      name = "engine",
      subcommands = {
        Backup.class,
        Restore.class,
        Verify.class,
        Inspect.class,
        Delete.class,
        DropScratch.class
      })
  static final class Engine {}

  /** A flag's value as {@code Boolean.parseBoolean} reads it: anything but "true" is false. */
  static final class Flag implements ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
      return Boolean.parseBoolean(value);
    }
  }

  /** The options every subcommand takes: the database, S3 and the result file. */
  abstract static class EngineCommand {
    @Option(names = "--db-scheme")
    String dbScheme;

    @Option(names = "--db-host")
    String dbHost;

    @Option(names = "--db-port")
    String dbPort;

    @Option(names = "--db-user")
    String dbUser;

    @Option(names = "--database")
    String database;

    @Option(names = "--db-params")
    String dbParams;

    @Option(names = "--password-file")
    String passwordFile;

    @Option(names = "--db-schema")
    String dbSchema;

    @Option(names = "--s3-endpoint")
    String s3Endpoint;

    @Option(names = "--s3-region")
    String s3Region;

    @Option(names = "--s3-path-style", converter = Flag.class)
    boolean s3PathStyle;

    @Option(names = "--result-file")
    String resultFile;

    abstract Summary run(
        BackupEngine engine, ConnectionSpec spec, PrintStream out, String password);

    /** Connection settings from flags, falling back to the OpenMetadata server's env vars. */
    ConnectionSpec connection(Map<String, String> env) {
      String scheme = orEnv(dbScheme, env, "DB_SCHEME");
      String host = orEnv(dbHost, env, "DB_HOST");
      String name = orEnv(database, env, "OM_DATABASE");
      if (scheme == null || host == null || name == null) {
        throw usage(
            "database connection incomplete: set --db-scheme/DB_SCHEME, --db-host/DB_HOST and"
                + " --database/OM_DATABASE");
      }
      DbScheme parsedScheme = DbScheme.parse(scheme);
      String portText = orEnv(dbPort, env, "DB_PORT");
      int port;
      try {
        port = portText == null ? parsedScheme.defaultPort() : Integer.parseInt(portText.trim());
      } catch (NumberFormatException e) {
        throw usage("--db-port/DB_PORT must be a number, got '" + portText + "'");
      }
      return new ConnectionSpec(
          parsedScheme,
          host,
          port,
          orEnv(dbUser, env, "DB_USER"),
          password(env),
          name,
          dbSchema,
          orEnv(dbParams, env, "DB_PARAMS"));
    }

    private String password(Map<String, String> env) {
      if (passwordFile != null) {
        try {
          String content = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8);
          return content.endsWith("\n") ? content.stripTrailing() : content;
        } catch (IOException e) {
          throw usage(
              "cannot read --password-file "
                  + passwordFile
                  + " ("
                  + e.getClass().getSimpleName()
                  + ")");
        }
      }
      return env.get("DB_USER_PASSWORD");
    }
  }

  @Command(name = "backup")
  static final class Backup extends EngineCommand {
    @Option(names = "--output")
    String output;

    @Option(names = "--compress")
    String compress;

    @Option(names = "--include")
    String include;

    @Option(names = "--exclude")
    String exclude;

    @Option(names = "--no-sync", converter = Flag.class)
    boolean noSync;

    @Override
    Summary run(BackupEngine engine, ConnectionSpec spec, PrintStream out, String password) {
      return engine.backup(
          spec,
          new BackupOptions(
              required(output, "output"),
              compress == null ? null : Compression.parse(compress),
              list(include),
              list(exclude),
              !noSync));
    }
  }

  @Command(name = "restore")
  static final class Restore extends EngineCommand {
    @Option(names = "--input")
    String input;

    @Option(names = "--expect-schema-version")
    String expectSchemaVersion;

    @Option(names = "--parallel")
    String parallel;

    @Option(names = "--drop-existing", converter = Flag.class)
    boolean dropExisting;

    @Option(names = "--allow-schema-mismatch", converter = Flag.class)
    boolean allowSchemaMismatch;

    @Override
    Summary run(BackupEngine engine, ConnectionSpec spec, PrintStream out, String password) {
      if (allowSchemaMismatch && expectSchemaVersion == null) {
        throw usage("--allow-schema-mismatch only makes sense with --expect-schema-version");
      }
      int connections;
      try {
        connections =
            parallel == null ? RestoreOptions.DEFAULT_PARALLEL : Integer.parseInt(parallel.trim());
      } catch (NumberFormatException e) {
        throw usage("--parallel must be a number, got '" + parallel + "'");
      }
      return engine.restore(
          spec,
          new RestoreOptions(
              required(input, "input"),
              dropExisting,
              expectSchemaVersion,
              allowSchemaMismatch,
              connections));
    }
  }

  @Command(name = "verify")
  static final class Verify extends EngineCommand {
    @Option(names = "--input")
    String input;

    @Option(names = "--scratch-database")
    String scratchDatabase;

    @Option(names = "--keep-scratch", converter = Flag.class)
    boolean keepScratch;

    /** A database only with --scratch-database. */
    @Override
    ConnectionSpec connection(Map<String, String> env) {
      return scratchDatabase == null ? null : super.connection(env);
    }

    @Override
    Summary run(BackupEngine engine, ConnectionSpec spec, PrintStream out, String password) {
      if (keepScratch && scratchDatabase == null) {
        throw usage("--keep-scratch only makes sense with --scratch-database");
      }
      return engine.verify(spec, required(input, "input"), scratchDatabase, keepScratch);
    }
  }

  @Command(name = "drop-scratch")
  static final class DropScratch extends EngineCommand {
    @Option(names = "--scratch-database")
    String scratchDatabase;

    @Override
    Summary run(BackupEngine engine, ConnectionSpec spec, PrintStream out, String password) {
      return engine.dropScratch(spec, required(scratchDatabase, "scratch-database"));
    }
  }

  @Command(name = "inspect")
  static final class Inspect extends EngineCommand {
    @Override
    Summary run(BackupEngine engine, ConnectionSpec spec, PrintStream out, String password) {
      return inspect(engine, spec, out, password);
    }
  }

  @Command(name = "delete")
  static final class Delete extends EngineCommand {
    @Option(names = "--location")
    String location;

    /** No database. */
    @Override
    ConnectionSpec connection(Map<String, String> env) {
      return null;
    }

    @Override
    Summary run(BackupEngine engine, ConnectionSpec spec, PrintStream out, String password) {
      return engine.delete(required(location, "location"));
    }
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
              null,
              spec.database(),
              null,
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
        .withUnfinishedMigrations(report.unfinishedMigrations())
        .withServer(report.engine(), report.serverVersion())
        .withSortBufferSize(report.sortBufferSize())
        .succeeded(Instant.now());
  }

  /** {@code value}, or when it is blank the environment variable {@code name}; null if blank. */
  private static String orEnv(String value, Map<String, String> env, String name) {
    if (value == null || value.isBlank()) {
      value = env.get(name);
    }
    return value == null || value.isBlank() ? null : value;
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw usage("--" + name + " is required");
    }
    return value;
  }

  /** A comma-separated list, blanks dropped. */
  private static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static EngineException usage(String message) {
    return new EngineException(ErrorCode.USAGE, message + " (see docs/backup-engine.md)");
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
