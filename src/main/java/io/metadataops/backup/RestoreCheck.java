package io.metadataops.backup;

import io.metadataops.backup.manifest.Manifest;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * After a restore, recomputes every table's row count and checksum and lists the tables that differ
 * from the manifest. The connections share the work, largest piece first; big tables are split into
 * parts where the dialect can (PostgreSQL: page ranges) so no connection is left with one big table
 * while the others idle. This pass reads the whole database once more.
 */
final class RestoreCheck {

  private static final int MAX_PARTS = 16;

  private RestoreCheck() {}

  static List<String> differences(
      Dialect dialect, ConnectionSpec spec, List<Connection> connections, Manifest manifest)
      throws SQLException {
    ChecksumAlgorithm algorithm = BackupEngine.checksumAlgorithm(manifest);
    Connection first = connections.get(0);
    Map<String, TableInfo> restored =
        dialect.tables(first, spec).stream()
            .collect(Collectors.toMap(TableInfo::name, Function.identity(), (a, b) -> a));
    List<String> differences = new ArrayList<>();
    List<Piece> pieces = new ArrayList<>();
    Map<String, TableDigest> digests = new HashMap<>();
    // Pieces of about a quarter of each connection's share keep them all busy to the end.
    long total = restored.values().stream().mapToLong(t -> Math.max(1, t.sizeBytes())).sum();
    long pieceSize = Math.max(1, total / (connections.size() * 4L));
    for (TableEntry expected : manifest.tables()) {
      TableInfo table = restored.get(expected.name());
      if (table == null) {
        differences.add(expected.name() + " is missing");
        continue;
      }
      digests.put(table.name(), new TableDigest(algorithm));
      int wanted = (int) Math.min(MAX_PARTS, Math.max(1, table.sizeBytes() / pieceSize));
      int parts = wanted == 1 ? 1 : dialect.digestParts(first, table, wanted);
      for (int part = 0; part < parts; part++) {
        pieces.add(new Piece(table, part, parts, Math.max(1, table.sizeBytes()) / parts));
      }
    }
    pieces.sort(Comparator.comparingLong(Piece::size).reversed());
    ConcurrentLinkedQueue<Piece> queue = new ConcurrentLinkedQueue<>(pieces);
    ExecutorService pool = Executors.newFixedThreadPool(connections.size());
    try {
      List<Future<Void>> results = new ArrayList<>();
      for (Connection connection : connections) {
        results.add(
            pool.submit(
                () -> {
                  Piece piece;
                  while ((piece = queue.poll()) != null) {
                    TableDigest digest =
                        dialect.digest(connection, piece.table, piece.part, piece.parts, algorithm);
                    TableDigest sum = digests.get(piece.table.name());
                    synchronized (sum) {
                      sum.add(digest);
                    }
                  }
                  return null;
                }));
      }
      for (Future<Void> result : results) {
        result.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(ErrorCode.INTERNAL, "interrupted while checking the restore", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new EngineException(ErrorCode.INTERNAL, "checking the restore failed: " + e, e);
    } finally {
      pool.shutdownNow();
    }
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

  private record Piece(TableInfo table, int part, int parts, long size) {}
}
