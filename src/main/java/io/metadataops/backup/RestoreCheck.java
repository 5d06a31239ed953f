package io.metadataops.backup;

import io.metadataops.backup.manifest.Manifest;
import io.metadataops.backup.manifest.TableEntry;
import io.metadataops.backup.sql.Dialect;
import io.metadataops.backup.sql.TableDigest;
import io.metadataops.backup.sql.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * After a restore, recomputes every table's row count and checksum and lists the tables that differ
 * from the manifest. Tables are split over a few connections (largest first) because this pass
 * reads the whole database once more.
 */
final class RestoreCheck {

  private static final int WORKERS = 2;

  private RestoreCheck() {}

  static List<String> differences(Dialect dialect, ConnectionSpec spec, Manifest manifest)
      throws SQLException {
    Map<String, TableInfo> restored;
    try (Connection connection = dialect.connect(spec)) {
      restored =
          dialect.tables(connection, spec).stream()
              .collect(Collectors.toMap(TableInfo::name, Function.identity(), (a, b) -> a));
    }
    List<String> differences = new ArrayList<>();
    List<List<TableInfo>> shares = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      shares.add(new ArrayList<>());
    }
    long[] load = new long[WORKERS];
    List<TableEntry> bySize = new ArrayList<>(manifest.tables());
    bySize.sort(Comparator.comparingLong(TableEntry::rows).reversed());
    for (TableEntry expected : bySize) {
      TableInfo table = restored.get(expected.name());
      if (table == null) {
        differences.add(expected.name() + " is missing");
        continue;
      }
      int lightest = load[0] <= load[1] ? 0 : 1;
      shares.get(lightest).add(table);
      load[lightest] += Math.max(1, table.sizeBytes());
    }
    Map<String, TableEntry> expected =
        manifest.tables().stream()
            .collect(Collectors.toMap(TableEntry::name, Function.identity(), (a, b) -> a));
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (List<TableInfo> share : shares) {
        if (!share.isEmpty()) {
          results.add(pool.submit(() -> check(dialect, spec, share, expected)));
        }
      }
      for (Future<List<String>> result : results) {
        differences.addAll(result.get());
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
    return differences;
  }

  private static List<String> check(
      Dialect dialect,
      ConnectionSpec spec,
      List<TableInfo> tables,
      Map<String, TableEntry> expected)
      throws SQLException {
    List<String> differences = new ArrayList<>();
    try (Connection connection = dialect.connect(spec)) {
      for (TableInfo table : tables) {
        TableEntry want = expected.get(table.name());
        TableDigest actual = dialect.digest(connection, table);
        if (actual.rows() != want.rows()) {
          differences.add(
              want.name() + " has " + actual.rows() + " rows instead of " + want.rows());
        } else if (!actual.checksum().equals(want.checksum())) {
          differences.add(want.name() + " content checksum differs");
        }
      }
    }
    return differences;
  }
}
