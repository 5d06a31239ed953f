package io.metadataops.backup;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.manifest.Manifest;
import io.metadataops.backup.manifest.SchemaObject;
import io.metadataops.backup.manifest.TableEntry;
import io.metadataops.backup.sql.ChecksumAlgorithm;
import io.metadataops.backup.sql.Dialect;
import io.metadataops.backup.sql.TableDigest;
import io.metadataops.backup.sql.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Recomputes every restored table's row count and checksum and lists the tables that differ from
 * the manifest. This reads the whole database once more, so it starts early: a table whose COPY
 * block is in is checked at once on connections of the check's own while the rest of the dump loads
 * (the load leaves CPU idle while the server writes WAL and builds indexes); what is left when the
 * load ends is shared with the loading connections, largest piece first. Big tables are split into
 * parts where the dialect can (PostgreSQL: page ranges) so that no connection is left with one big
 * table while the others idle.
 */
final class RestoreCheck implements AutoCloseable {

  private static final int MAX_PARTS = 16;

  /** Pieces per connection that keep them all busy to the end. */
  private static final int PIECES_PER_CONNECTION = 4;

  private record Piece(TableInfo table, int part, int parts, long size) {}

  private static final Piece END = new Piece(null, 0, 0, 0);

  private final Dialect dialect;
  private final ConnectionSpec spec;
  private final Manifest manifest;
  private final ChecksumAlgorithm algorithm;
  private final Connection catalogConnection;
  private final BlockingQueue<Piece> pieces = new LinkedBlockingQueue<>();
  private final Map<String, TableDigest> digests = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private Map<String, TableInfo> catalog = Map.of();

  /**
   * A check of the restore into {@code spec}; {@code catalogConnection} (used by the caller's
   * thread only) lists the restored tables; {@code duringLoad} check loaded tables at once.
   */
  RestoreCheck(
      Dialect dialect,
      ConnectionSpec spec,
      Manifest manifest,
      Connection catalogConnection,
      List<Connection> duringLoad) {
    this.dialect = dialect;
    this.spec = spec;
    this.manifest = manifest;
    this.algorithm = BackupEngine.checksumAlgorithm(manifest);
    this.catalogConnection = catalogConnection;
    duringLoad.forEach(this::startChecking);
  }

  /**
   * The rows of a COPY block are all in, committed where other connections can see them; {@code
   * bytes}: their size in the dump.
   */
  void copied(String copyStatement, long bytes) throws SQLException {
    String table = dialect.copyTable(copyStatement).orElse(null);
    if (table == null || digests.containsKey(table)) {
      return; // checked with the rest at the end
    }
    if (!catalog.containsKey(table)) {
      catalog = catalog(catalogConnection);
    }
    TableInfo info = catalog.get(table);
    if (info != null) {
      // Parts of about a sixteenth of the dump: small enough to share at the end.
      pieces.addAll(split(info, bytes, Math.max(1, manifest.sizeBytes() / MAX_PARTS)));
    }
  }

  /**
   * Checks the tables not checked yet, with {@code more} connections joining in, waits for every
   * check and returns the differences from the manifest (empty when the restore is exact).
   */
  List<String> finish(List<Connection> more) throws SQLException {
    Map<String, TableInfo> restored = catalog(catalogConnection);
    List<String> differences = new ArrayList<>();
    if (!manifest.schemaObjects().isEmpty()) {
      java.util.Set<SchemaObject> present =
          new java.util.HashSet<>(dialect.presentObjects(catalogConnection, spec));
      for (SchemaObject expected : manifest.schemaObjects()) {
        if (!present.contains(expected)) {
          differences.add(expected + " is missing");
        }
      }
    }
    List<TableInfo> unchecked = new ArrayList<>();
    for (TableEntry expected : manifest.tables()) {
      TableInfo table = restored.get(expected.name());
      if (table == null) {
        differences.add(expected.name() + " is missing");
      } else if (!digests.containsKey(table.name())) {
        unchecked.add(table);
      }
    }
    int connections = threads.size() + more.size();
    long total = unchecked.stream().mapToLong(t -> Math.max(1, t.sizeBytes())).sum();
    long pieceSize = Math.max(1, total / ((long) connections * PIECES_PER_CONNECTION));
    List<Piece> rest = new ArrayList<>();
    for (TableInfo table : unchecked) {
      rest.addAll(split(table, table.sizeBytes(), pieceSize));
    }
    rest.sort(Comparator.comparingLong(Piece::size).reversed());
    pieces.addAll(rest);
    pieces.add(END);
    more.forEach(this::startChecking);
    try {
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(ErrorCode.INTERNAL, "interrupted while checking the restore", e);
    }
    rethrowFailure();
    for (TableEntry want : manifest.tables()) {
      TableDigest actual = digests.get(want.name());
      if (actual == null) {
        continue; // missing, already listed
      }
      if (actual.rows() != want.rows()) {
        differences.add(want.name() + " has " + actual.rows() + " rows instead of " + want.rows());
      } else if (!actual.checksum().equals(want.checksum())) {
        differences.add(want.name() + " content checksum differs");
      }
    }
    return differences;
  }

  /** Stops checking (after a failed load); the caller closes the connections. */
  @Override
  public void close() {
    pieces.clear();
    pieces.add(END);
    threads.forEach(Thread::interrupt);
  }

  private Map<String, TableInfo> catalog(Connection connection) throws SQLException {
    Map<String, TableInfo> tables = new HashMap<>();
    for (TableInfo table : dialect.tables(connection, spec)) {
      tables.putIfAbsent(table.name(), table);
    }
    return tables;
  }

  private List<Piece> split(TableInfo table, long bytes, long pieceSize) throws SQLException {
    digests.put(table.name(), new TableDigest(algorithm));
    long size = Math.max(1, bytes);
    int wanted = (int) Math.min(MAX_PARTS, Math.max(1, size / pieceSize));
    int parts = wanted == 1 ? 1 : dialect.digestParts(catalogConnection, table, wanted);
    List<Piece> split = new ArrayList<>();
    for (int part = 0; part < parts; part++) {
      split.add(new Piece(table, part, parts, size / parts));
    }
    return split;
  }

  private void startChecking(Connection connection) {
    Thread thread = new Thread(() -> check(connection), "restore-check-" + threads.size());
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private void check(Connection connection) {
    Piece piece = null;
    try {
      while (true) {
        piece = pieces.take();
        if (piece == END) {
          pieces.add(END); // for the other checking threads
          return;
        }
        if (failure.get() != null) {
          continue; // the check has failed: drain to the end
        }
        TableDigest digest =
            dialect.digest(connection, piece.table, piece.part, piece.parts, algorithm);
        TableDigest sum = digests.get(piece.table.name());
        synchronized (sum) {
          sum.add(digest);
        }
      }
    } catch (SQLException | RuntimeException e) {
      failure.compareAndSet(null, e);
      pieces.add(END);
    } catch (OutOfMemoryError e) {
      // Not a content difference: say so, rather than report the table as not checked.
      failure.compareAndSet(
          null, Memory.exhausted("checking restored table " + piece.table.name(), e));
      pieces.add(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrowFailure() throws SQLException {
    Exception e = failure.get();
    if (e instanceof SQLException sql) {
      throw sql;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
  }
}
