package io.metadataops.backup;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.DbScheme;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.manifest.Manifest;
import io.metadataops.backup.manifest.ManifestCodec;
import io.metadataops.backup.manifest.SchemaObject;
import io.metadataops.backup.manifest.SchemaVersions;
import io.metadataops.backup.manifest.SchemaVersions.ChangeLogRow;
import io.metadataops.backup.manifest.TableEntry;
import io.metadataops.backup.sql.ChecksumAlgorithm;
import io.metadataops.backup.sql.Dialect;
import io.metadataops.backup.sql.DumpSink;
import io.metadataops.backup.sql.RestorePlan;
import io.metadataops.backup.sql.RowMeter;
import io.metadataops.backup.sql.ServerInfo;
import io.metadataops.backup.sql.SqlErrors;
import io.metadataops.backup.sql.StatementKind;
import io.metadataops.backup.sql.StatementReader;
import io.metadataops.backup.sql.TableDigest;
import io.metadataops.backup.sql.TableInfo;
import io.metadataops.backup.storage.Location;
import io.metadataops.backup.storage.S3Settings;
import io.metadataops.backup.storage.Storage;
import io.metadataops.backup.storage.StorageFactory;
import io.metadataops.backup.storage.StorageOutput;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The backup engine's Java API: backup, restore, verify, inspect and delete. Every method either
 * returns a succeeded {@link Summary} or throws an {@link EngineException} whose code is the
 * documented exit code. Progress goes to the {@link Progress} given at construction.
 */
public final class BackupEngine {

  private final StorageFactory storageFactory;
  private final Progress progress;
  private final Clock clock;

  public BackupEngine(S3Settings s3, Progress progress) {
    this(new StorageFactory(s3), progress, Clock.systemUTC());
  }

  BackupEngine(StorageFactory storageFactory, Progress progress, Clock clock) {
    this.storageFactory = storageFactory;
    this.progress = progress;
    this.clock = clock;
  }

  // ---------------------------------------------------------------------------------- backup

  public Summary backup(ConnectionSpec spec, BackupOptions options) {
    Instant started = clock.instant();
    Location dump = Location.parse(options.output());
    Location manifestLocation = dump.manifest();
    Compression compression =
        options.compression() != null
            ? options.compression()
            : Compression.forName(dump.fileName());
    Dialect dialect = Dialect.of(spec.scheme());
    try (Storage storage = storageFactory.forLocation(dump, options.sync())) {
      if (storage.stat(manifestLocation).isPresent()) {
        throw alreadyExists(manifestLocation);
      }
      if (storage.stat(dump).isPresent()) {
        throw alreadyExists(dump);
      }
      DumpResult result;
      Connection connection = connect(dialect, spec);
      try {
        result =
            sql(
                spec,
                "reading the database",
                () -> writeDump(dialect, connection, spec, options, storage, dump, compression));
      } finally {
        Connections.closeQuietly(connection);
      }
      Manifest manifest =
          new Manifest(
              Manifest.FORMAT_VERSION,
              result.server.engine(),
              result.server.version(),
              spec.database(),
              spec.scheme() == DbScheme.POSTGRESQL ? spec.schema() : null,
              result.schemaVersion,
              compression.id(),
              ChecksumAlgorithm.CURRENT.id(),
              started,
              clock.instant(),
              result.size,
              result.sha256,
              result.tables,
              result.objects);
      writeManifest(storage, dump, manifestLocation, manifest);
      progress.line(
          String.format(
              "backup complete: %d tables, %d rows, %d bytes, sha256 %s",
              result.tables.size(), manifest.totalRows(), result.size, result.sha256));
      return Summary.started("backup", started)
          .withLocations(dump.toString(), manifestLocation.toString())
          .withDump(result.size, result.sha256)
          .withContent(result.tables.size(), manifest.totalRows(), result.schemaVersion)
          .withServer(result.server.engine(), result.server.version())
          .succeeded(clock.instant());
    }
  }

  private record DumpResult(
      ServerInfo server,
      String schemaVersion,
      List<TableEntry> tables,
      List<SchemaObject> objects,
      long size,
      String sha256) {}

  private DumpResult writeDump(
      Dialect dialect,
      Connection connection,
      ConnectionSpec spec,
      BackupOptions options,
      Storage storage,
      Location dump,
      Compression compression)
      throws SQLException, IOException {
    ServerInfo server = dialect.serverInfo(connection);
    dialect.beginSnapshot(connection);
    List<TableInfo> all = dialect.tables(connection, spec);
    List<TableInfo> tables = select(all, options);
    String schemaVersion =
        SchemaVersions.installedVersion(dialect.changeLog(connection, all)).orElse(null);
    progress.line(
        String.format(
            "backing up %d tables of %s (%s %s, OpenMetadata schema %s) to %s",
            tables.size(),
            spec,
            server.engine(),
            server.version(),
            schemaVersion == null ? "unknown" : schemaVersion,
            dump));
    progress.line(
        String.format(
            "engine heap %d MB: rows up to about %d MB each (a row is read whole)",
            Runtime.getRuntime().maxMemory() >> 20, Memory.largestRow() >> 20));
    // Every schema object is carried, or the backup fails here, before anything is written.
    Dialect.SchemaCatalog objects = dialect.schemaObjects(connection, spec, tables);
    EngineException.refuseAny(
        ErrorCode.UNSUPPORTED,
        objects.unsupported(),
        "the database holds "
            + objects.unsupported().size()
            + " schema object(s) the engine cannot back up, and a backup that restores less"
            + " than the database holds is refused: ",
        "; ",
        ": remove or rewrite them, or back up with the database's own tools");
    // Big tables are read over a second connection too where it can share the snapshot.
    List<Connection> helpers = dialect.shareSnapshot(connection, spec, SNAPSHOT_HELPERS);
    try {
      StorageOutput raw = storage.create(dump);
      List<TableEntry> entries = new ArrayList<>();
      HashingOutputStream hashed = new HashingOutputStream(raw);
      // Compression, the dump's SHA-256 and storage run on their own thread.
      PipelinedOutputStream data = new PipelinedOutputStream(compression.wrap(hashed));
      try {
        DumpSink sink = new DumpSink(data);
        dialect.writeHeader(sink, server, spec);
        dialect.writeTableDefinitions(connection, tables, sink);
        for (TableInfo table : tables) {
          RowMeter meter = new RowMeter(progress, "backup", table.name(), "rows");
          TableDigest digest;
          try {
            digest = dialect.writeTableData(connection, helpers, table, sink, meter);
          } catch (OutOfMemoryError e) {
            throw Memory.exhausted(
                "backing up table " + table.name(), sizesOf(dialect, spec, table), e);
          }
          meter.done();
          entries.add(
              new TableEntry(table.name(), digest.rows(), digest.checksum(), digest.largestRow()));
        }
        dialect.writePostData(connection, tables, sink);
        dialect.writeFooter(sink);
        data.close();
        connection.commit();
      } catch (IOException | SQLException | RuntimeException | Error e) {
        data.abandon();
        raw.abort();
        throw e;
      }
      return new DumpResult(
          server, schemaVersion, entries, objects.objects(), hashed.size(), hashed.sha256());
    } finally {
      helpers.forEach(Connections::closeQuietly);
    }
  }

  /**
   * How big the rows of a table are that the heap could not hold, read on a connection of its own
   * (the backup's is in the middle of a result); null when that fails too, so that the refusal
   * still comes.
   */
  private static String sizesOf(Dialect dialect, ConnectionSpec spec, TableInfo table) {
    try (Connection connection = dialect.connect(spec)) {
      return Memory.sizes(dialect.valueSizes(connection, table));
    } catch (SQLException | RuntimeException | OutOfMemoryError e) {
      return null;
    }
  }

  /** Connections besides the main one that read big tables (PostgreSQL). */
  private static final int SNAPSHOT_HELPERS = 1;

  private static List<TableInfo> select(List<TableInfo> all, BackupOptions options) {
    Set<String> known =
        all.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    for (String name : concat(options.include(), options.exclude())) {
      if (!known.contains(name.toLowerCase(Locale.ROOT))) {
        throw new EngineException(
            ErrorCode.USAGE,
            "table '" + name + "' given in --include/--exclude does not exist in the database");
      }
    }
    Set<String> include = lower(options.include());
    Set<String> exclude = lower(options.exclude());
    return all.stream()
        .filter(t -> include.isEmpty() || include.contains(t.name().toLowerCase(Locale.ROOT)))
        .filter(t -> !exclude.contains(t.name().toLowerCase(Locale.ROOT)))
        .toList();
  }

  private void writeManifest(
      Storage storage, Location dump, Location manifestLocation, Manifest manifest) {
    try {
      StorageOutput out = storage.create(manifestLocation);
      try {
        out.write(ManifestCodec.write(manifest));
        out.close();
      } catch (IOException | RuntimeException e) {
        out.abort();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      // A dump without its manifest can never be restored and would block a retry: remove it.
      storage.delete(dump);
      if (e instanceof EngineException engineException) {
        throw engineException;
      }
      throw new EngineException(
          ErrorCode.STORAGE, "cannot write manifest " + manifestLocation + ": " + e, e);
    }
  }

  // --------------------------------------------------------------------------------- restore

  public Summary restore(ConnectionSpec spec, RestoreOptions options) {
    Instant started = clock.instant();
    Location dump = Location.parse(options.input());
    Dialect dialect = Dialect.of(spec.scheme());
    try (Storage storage = storageFactory.forLocation(dump)) {
      Manifest manifest = readManifest(storage, dump);
      requireCompatible(manifest, spec);
      checkSchemaVersion(manifest, options);
      // Where nothing is visible before it is published, the dump's SHA-256 is checked while it
      // is loaded; elsewhere (MySQL DDL commits at once) in a pass before the database is touched.
      Storage.ObjectInfo info =
          dialect.stagesRestore()
              ? checkSize(storage, dump, manifest)
              : checkIntegrity(storage, dump, manifest);
      ServerInfo server =
          sql(
              spec,
              "restoring",
              () -> restoreInto(dialect, spec, options, storage, dump, info, manifest));
      progress.line(
          String.format(
              "restore complete: %d tables, %d rows and %d schema objects match the manifest",
              manifest.tables().size(), manifest.totalRows(), manifest.schemaObjects().size()));
      return Summary.started("restore", started)
          .withLocations(dump.toString(), dump.manifest().toString())
          .withDump(manifest.sizeBytes(), manifest.sha256())
          .withContent(manifest.tables().size(), manifest.totalRows(), manifest.schemaVersion())
          .withServer(server.engine(), server.version())
          .succeeded(clock.instant());
    }
  }

  private ServerInfo restoreInto(
      Dialect dialect,
      ConnectionSpec spec,
      RestoreOptions options,
      Storage storage,
      Location dump,
      Storage.ObjectInfo info,
      Manifest manifest)
      throws SQLException, IOException {
    dialect.ensureTarget(spec);
    try (Connection main = dialect.connect(spec)) {
      ServerInfo server = dialect.serverInfo(main);
      List<String> existing = dialect.existingObjects(main, spec);
      if (!existing.isEmpty() && !options.dropExisting()) {
        throw new EngineException(
            ErrorCode.TARGET_NOT_EMPTY,
            "restore target "
                + target(spec)
                + " is not empty ("
                + existing.size()
                + " objects, e.g. "
                + String.join(", ", existing.subList(0, Math.min(5, existing.size())))
                + "): restore into an empty database or pass --drop-existing");
      }
      dialect.requireSupported(main, manifest.schemaObjects());
      RestorePlan plan =
          dialect.planRestore(main, spec, options.dropExisting(), options.parallel(), progress);
      boolean published = false;
      try {
        load(dialect, main, plan, storage, dump, info, manifest);
        dialect.publish(main, spec, plan, progress);
        published = true;
      } finally {
        if (!published) {
          dialect.discard(main, plan);
        }
      }
      return server;
    }
  }

  /**
   * Executes the dump where the plan says, then checks it: the dump's size and SHA-256, and every
   * table's row count and checksum against the manifest.
   */
  private void load(
      Dialect dialect,
      Connection main,
      RestorePlan plan,
      Storage storage,
      Location dump,
      Storage.ObjectInfo info,
      Manifest manifest)
      throws SQLException, IOException {
    List<Connection> opened = new ArrayList<>();
    try {
      boolean staged = plan.stagingSchema() != null;
      // Loading connections commit each COPY block (staged, in parallel): one more connection
      // checks the blocks that are in while the rest loads.
      int checkers = staged && plan.workers() > 0 ? 1 : 0;
      int coordinators = staged ? 1 : 0;
      opened.addAll(
          Connections.openAll(
              () -> dialect.connect(plan.loadInto()), coordinators + plan.workers() + checkers));
      Connection coordinator = staged ? opened.get(0) : main;
      List<Connection> workers = opened.subList(coordinators, coordinators + plan.workers());
      List<Connection> checking = opened.subList(coordinators + plan.workers(), opened.size());
      progress.line(
          "restoring "
              + dump
              + " into "
              + target(plan.loadInto())
              + (workers.isEmpty() ? "" : " over " + workers.size() + " parallel connections")
              + (checking.isEmpty() ? "" : ", checking loaded tables over " + checking.size()));
      try (RestoreCheck check =
          new RestoreCheck(dialect, plan.loadInto(), manifest, coordinator, checking)) {
        try (InputStream in = storage.open(dump, info)) {
          HashingInputStream hashed = new HashingInputStream(in);
          try {
            StatementReader statements =
                new StatementReader(Compression.unwrap(hashed), dialect.syntax());
            RowMeter meter = new RowMeter(progress, "restore", dump.fileName(), "statements");
            DumpLoader loader = new DumpLoader(dialect, coordinator, workers, check::copied);
            loader.load(statements, meter);
            meter.done();
            if (loader.retries() > 0) {
              progress.line(
                  loader.retries()
                      + " statements ran again after a deadlock or lock timeout between the"
                      + " parallel connections");
            }
          } catch (SQLException | IOException | RuntimeException e) {
            // A dump other than the one the manifest describes explains any failure best.
            if (!matches(hashed, manifest)) {
              throw integrity(dump, hashMismatch(hashed, manifest));
            }
            throw e;
          }
          if (!matches(hashed, manifest)) {
            throw integrity(
                dump,
                dialect.stagesRestore()
                    ? hashMismatch(hashed, manifest)
                    // The pass before already checked it: the file changed in between (S3 reads
                    // are also pinned to the ETag that pass saw).
                    : "it changed while it was restored");
          }
        }
        compare(check, workers.isEmpty() ? List.of(coordinator) : workers);
      }
    } finally {
      for (Connection connection : opened) {
        Connections.closeQuietly(connection);
      }
    }
  }

  /** Reads the rest of the dump; true when size and SHA-256 are the manifest's. */
  private static boolean matches(HashingInputStream hashed, Manifest manifest) {
    try {
      hashed.drain();
    } catch (IOException e) {
      return true; // cannot tell: let the original failure speak
    }
    return hashed.size() == manifest.sizeBytes() && hashed.sha256().equals(manifest.sha256());
  }

  private static String hashMismatch(HashingInputStream hashed, Manifest manifest) {
    return hashed.size() != manifest.sizeBytes()
        ? "its size is " + hashed.size() + " bytes, the manifest says " + manifest.sizeBytes()
        : "its SHA-256 is " + hashed.sha256() + ", the manifest says " + manifest.sha256();
  }

  /**
   * Compares every restored table with the manifest (row count and content checksum), {@code more}
   * connections joining the check for what is left.
   */
  private void compare(RestoreCheck check, List<Connection> more) throws SQLException {
    progress.line("checking row counts and checksums of the restored tables");
    EngineException.refuseAny(
        ErrorCode.MISMATCH,
        check.finish(more),
        "restored content differs from the manifest: ",
        "; ",
        ": the target may have been written during the restore, or the engine/server changed"
            + " values; do not use this restore");
  }

  // ---------------------------------------------------------------------------------- verify

  /**
   * Without a database ({@code spec} null or no scratch database): checks size and SHA-256 against
   * the manifest and that every statement of the dump parses. With one: also restores into the
   * scratch database, compares checksums and drops the database if it created it.
   */
  public Summary verify(ConnectionSpec spec, String input, String scratchDatabase) {
    return verify(spec, input, scratchDatabase, false);
  }

  /**
   * As {@link #verify(ConnectionSpec, String, String)}; with {@code keepScratch} a verified scratch
   * database stays for a later step (an upgrade's rehearsal migrates it), and one that exists
   * already is refused: a database the engine did not create must never be dropped by {@link
   * #dropScratch} afterwards. A failed restore still drops what it created.
   */
  public Summary verify(
      ConnectionSpec spec, String input, String scratchDatabase, boolean keepScratch) {
    Instant started = clock.instant();
    Location dump = Location.parse(input);
    Summary summary;
    try (Storage storage = storageFactory.forLocation(dump)) {
      Manifest manifest = readManifest(storage, dump);
      Storage.ObjectInfo info = checkIntegrity(storage, dump, manifest);
      long statements = parseAll(storage, dump, info, manifest);
      progress.line(
          "dump " + dump + " matches its manifest and its " + statements + " statements parse");
      summary =
          Summary.started("verify", started)
              .withLocations(dump.toString(), dump.manifest().toString())
              .withDump(manifest.sizeBytes(), manifest.sha256())
              .withContent(manifest.tables().size(), manifest.totalRows(), manifest.schemaVersion())
              .withServer(manifest.engine(), manifest.serverVersion());
      if (scratchDatabase != null && !scratchDatabase.isBlank()) {
        if (spec == null) {
          throw new EngineException(
              ErrorCode.USAGE, "--scratch-database needs the database connection settings");
        }
        requireCompatible(manifest, spec);
        requireScratchDiffers(spec, scratchDatabase, "verify restores into it");
        Dialect dialect = Dialect.of(spec.scheme());
        boolean created =
            sql(
                spec,
                "creating the scratch database",
                () -> dialect.createDatabase(spec, scratchDatabase));
        if (keepScratch && !created) {
          throw new EngineException(
              ErrorCode.ALREADY_EXISTS,
              "the scratch database "
                  + scratchDatabase
                  + " exists already: a scratch database that is kept must be created by the"
                  + " engine, so that dropping it later drops nothing else; choose another name");
        }
        boolean kept = false;
        try {
          Summary restored =
              restore(spec.withDatabase(scratchDatabase), RestoreOptions.from(input));
          summary = summary.withServer(restored.engine(), restored.serverVersion());
          kept = keepScratch;
        } finally {
          if (created && !kept) {
            drop(spec, scratchDatabase);
          }
        }
      }
    }
    return summary.succeeded(clock.instant());
  }

  private static void requireScratchDiffers(
      ConnectionSpec spec, String scratchDatabase, String because) {
    if (scratchDatabase.equals(spec.database())) {
      throw new EngineException(
          ErrorCode.USAGE,
          "--scratch-database must differ from the database (" + spec.database() + "): " + because);
    }
  }

  /**
   * Drops {@code scratchDatabase} on the server of {@code spec} (nothing when it is absent); the
   * database {@code spec} names, the one the server uses, is refused.
   */
  public Summary dropScratch(ConnectionSpec spec, String scratchDatabase) {
    Instant started = clock.instant();
    requireScratchDiffers(
        spec, scratchDatabase, "drop-scratch never drops the database the server uses");
    drop(spec, scratchDatabase);
    progress.line("dropped scratch database " + scratchDatabase);
    return Summary.started("drop-scratch", started).succeeded(clock.instant());
  }

  private static void drop(ConnectionSpec spec, String scratchDatabase) {
    sql(
        spec,
        "dropping the scratch database",
        () -> {
          Dialect.of(spec.scheme()).dropDatabase(spec, scratchDatabase);
          return null;
        });
  }

  /** Splits the whole dump; for COPY blocks, counts rows per table against the manifest. */
  private long parseAll(
      Storage storage, Location dump, Storage.ObjectInfo info, Manifest manifest) {
    try (InputStream in = storage.open(dump, info)) {
      Dialect dialect =
          Dialect.of("postgresql".equals(manifest.engine()) ? DbScheme.POSTGRESQL : DbScheme.MYSQL);
      StatementReader statements = new StatementReader(Compression.unwrap(in), dialect.syntax());
      Map<String, Long> expected =
          manifest.tables().stream()
              .collect(Collectors.toMap(TableEntry::name, TableEntry::rows, (a, b) -> a));
      long count = 0;
      String statement;
      while ((statement = statements.next()) != null) {
        count++;
        if (dialect.classify(statement) == StatementKind.COPY) {
          long rows = statements.copyData((data, offset, length) -> {});
          String table = copyTable(statement);
          Long want = expected.get(table);
          if (want != null && want != rows) {
            throw integrity(
                dump,
                "table "
                    + table
                    + " has "
                    + rows
                    + " rows in the dump, "
                    + want
                    + " in the manifest");
          }
        }
      }
      return count;
    } catch (IOException e) {
      throw integrity(dump, "it does not parse (" + e.getMessage() + ")");
    } catch (SQLException e) {
      throw new IllegalStateException("no database is involved in parsing", e);
    }
  }

  private static String copyTable(String copyStatement) {
    String rest = copyStatement.substring(copyStatement.indexOf(' ') + 1).trim();
    if (rest.startsWith("\"")) {
      int end = rest.indexOf("\" ");
      return rest.substring(1, end < 0 ? rest.length() - 1 : end).replace("\"\"", "\"");
    }
    return rest.substring(0, rest.indexOf(' '));
  }

  // --------------------------------------------------------------------------------- inspect

  /** Unfinished change-log rows an inspection lists; a termination message has 4 KB. */
  private static final int UNFINISHED_SHOWN = 10;

  public InspectReport inspect(ConnectionSpec spec) {
    Dialect dialect = Dialect.of(spec.scheme());
    try (Connection connection = connect(dialect, spec)) {
      return sql(
          spec,
          "inspecting",
          () -> {
            ServerInfo server = dialect.serverInfo(connection);
            Map<String, Boolean> backup = dialect.backupPrivileges(connection, spec);
            Map<String, Boolean> restore = dialect.restorePrivileges(connection, spec);
            List<TableInfo> tables = dialect.tables(connection, spec);
            List<ChangeLogRow> changeLog = dialect.changeLog(connection, tables);
            String version = SchemaVersions.installedVersion(changeLog).orElse(null);
            List<InspectReport.Table> rows =
                tables.stream()
                    .map(t -> new InspectReport.Table(t.name(), t.rowEstimate(), t.sizeBytes()))
                    .toList();
            return new InspectReport(
                true,
                true,
                server.engine(),
                server.version(),
                dialect.sortBufferSize(connection).orElse(null),
                spec.database(),
                spec.scheme() == DbScheme.POSTGRESQL ? spec.schema() : null,
                version,
                SchemaVersions.unfinished(changeLog, UNFINISHED_SHOWN),
                new InspectReport.Privileges(
                    backup, !backup.containsValue(false), restore, !restore.containsValue(false)),
                rows.size(),
                rows.stream().mapToLong(InspectReport.Table::rowEstimate).sum(),
                rows.stream().mapToLong(InspectReport.Table::sizeBytes).sum(),
                rows,
                null,
                null);
          });
    } catch (SQLException e) {
      throw SqlErrors.translate(e, spec, "closing the connection");
    }
  }

  // ---------------------------------------------------------------------------------- delete

  public Summary delete(String location) {
    Instant started = clock.instant();
    Location dump = Location.parse(location);
    try (Storage storage = storageFactory.forLocation(dump)) {
      boolean dumpExisted = storage.delete(dump);
      boolean manifestExisted = storage.delete(dump.manifest());
      progress.line(
          "deleted "
              + dump
              + (dumpExisted ? "" : " (was absent)")
              + " and its manifest"
              + (manifestExisted ? "" : " (was absent)"));
      return Summary.started("delete", started)
          .withLocations(dump.toString(), dump.manifest().toString())
          .succeeded(clock.instant());
    }
  }

  // ---------------------------------------------------------------------------------- shared

  private Manifest readManifest(Storage storage, Location dump) {
    Location manifestLocation = dump.manifest();
    try {
      return ManifestCodec.read(storage.readAll(manifestLocation), manifestLocation.toString());
    } catch (EngineException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        boolean dumpExists = storage.stat(dump).isPresent();
        throw new EngineException(
            ErrorCode.NOT_FOUND,
            (dumpExists
                    ? "manifest " + manifestLocation + " is missing (the dump exists)"
                    : dump + " and its manifest do not exist")
                + ": check --input; a dump is only restored together with its manifest",
            e);
      }
      throw e;
    }
  }

  /**
   * First pass over the dump: size and SHA-256 must match the manifest before the database is
   * touched. Returns the object's version so the second pass reads the very same bytes.
   */
  private Storage.ObjectInfo checkIntegrity(Storage storage, Location dump, Manifest manifest) {
    Storage.ObjectInfo info = checkSize(storage, dump, manifest);
    try (InputStream in = storage.open(dump, info)) {
      HashingInputStream hashed = new HashingInputStream(in);
      hashed.drain();
      if (hashed.size() != manifest.sizeBytes() || !hashed.sha256().equals(manifest.sha256())) {
        throw integrity(
            dump, "its SHA-256 is " + hashed.sha256() + ", the manifest says " + manifest.sha256());
      }
    } catch (IOException e) {
      throw new EngineException(ErrorCode.STORAGE, "cannot read " + dump + ": " + e, e);
    }
    return info;
  }

  /** The dump must exist and have the manifest's size; returns its version to pin reads to. */
  private static Storage.ObjectInfo checkSize(Storage storage, Location dump, Manifest manifest) {
    Storage.ObjectInfo info =
        storage
            .stat(dump)
            .orElseThrow(
                () ->
                    new EngineException(
                        ErrorCode.NOT_FOUND,
                        dump + " does not exist (its manifest does): check --input"));
    if (info.size() != manifest.sizeBytes()) {
      throw integrity(
          dump, "its size is " + info.size() + " bytes, the manifest says " + manifest.sizeBytes());
    }
    return info;
  }

  private static EngineException integrity(Location dump, String why) {
    return new EngineException(
        ErrorCode.INTEGRITY,
        "dump "
            + dump
            + " failed its integrity check: "
            + why
            + ": the file is truncated or altered; use another backup");
  }

  private static void requireCompatible(Manifest manifest, ConnectionSpec spec) {
    boolean postgres = "postgresql".equals(manifest.engine());
    if (postgres != (spec.scheme() == DbScheme.POSTGRESQL)) {
      throw new EngineException(
          ErrorCode.USAGE,
          "the backup was taken from "
              + manifest.engine()
              + " but the target is "
              + spec.scheme().id()
              + ": restore into the same kind of database");
    }
    checksumAlgorithm(manifest); // refused here, before the target is touched
    Memory.requireRoomFor(manifest);
  }

  /** The algorithm the manifest's checksums were computed with; refused when unknown. */
  static ChecksumAlgorithm checksumAlgorithm(Manifest manifest) {
    return ChecksumAlgorithm.of(manifest.checksumAlgorithm())
        .orElseThrow(
            () ->
                new EngineException(
                    ErrorCode.INTEGRITY,
                    "the manifest's checksums use algorithm '"
                        + manifest.checksumAlgorithm()
                        + "', which this engine does not know: restore with the engine version"
                        + " that wrote the backup, or a newer one"));
  }

  private static void checkSchemaVersion(Manifest manifest, RestoreOptions options) {
    String expected = options.expectSchemaVersion();
    if (expected == null || expected.isBlank()) {
      return;
    }
    String actual = manifest.schemaVersion();
    boolean same = actual != null && expected.trim().equals(actual);
    if (!same && !options.allowSchemaMismatch()) {
      throw new EngineException(
          ErrorCode.SCHEMA_VERSION_MISMATCH,
          "the backup holds OpenMetadata schema "
              + (actual == null ? "(unknown: no SERVER_CHANGE_LOG)" : actual)
              + " but "
              + expected
              + " was expected: restore a backup of that version, or pass"
              + " --allow-schema-mismatch if you know the server image matches the backup");
    }
  }

  private static String target(ConnectionSpec spec) {
    return spec.scheme() == DbScheme.POSTGRESQL
        ? "database " + spec.database() + " schema " + spec.schema()
        : "database " + spec.database();
  }

  private static Connection connect(Dialect dialect, ConnectionSpec spec) {
    try {
      return dialect.connect(spec);
    } catch (SQLException e) {
      throw SqlErrors.translate(e, spec, "connecting");
    }
  }

  private static EngineException alreadyExists(Location location) {
    return new EngineException(
        ErrorCode.ALREADY_EXISTS,
        location + " already exists and is never overwritten: choose another output name");
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException, IOException;
  }

  private static <T> T sql(ConnectionSpec spec, String during, SqlWork<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw SqlErrors.translate(e, spec, during);
    } catch (IOException e) {
      if (e instanceof io.metadataops.backup.sql.DumpFormatException) {
        throw new EngineException(
            ErrorCode.INTEGRITY, "the dump does not parse: " + e.getMessage(), e);
      }
      throw new EngineException(ErrorCode.STORAGE, "I/O error while " + during + ": " + e, e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Set<String> lower(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }
}
