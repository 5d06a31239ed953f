package io.metadataops.backup;

import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Opens database connections several at once, and never leaves one open that nobody holds. */
final class Connections {

  /** Opens one connection. */
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  private Connections() {}

  /**
   * Opens {@code count} connections at once rather than one after the other: each spends its
   * authentication round trips (SCRAM, TLS) waiting on the server. When one fails, or the caller is
   * interrupted, the others are closed, including those still opening, once they are open.
   */
  static List<Connection> openAll(Opener opener, int count) throws SQLException {
    if (count == 0) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<CompletableFuture<Connection>> attempts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        attempts.add(CompletableFuture.supplyAsync(() -> open(opener), pool));
      }
      Throwable failure = null;
      for (CompletableFuture<Connection> attempt : attempts) {
        try {
          attempt.get();
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = e;
          break;
        }
      }
      if (failure == null) {
        return attempts.stream().map(CompletableFuture::join).toList();
      }
      // Closed at once where open already, and as soon as they open where still opening.
      attempts.forEach(attempt -> attempt.thenAccept(Connections::closeQuietly));
      if (failure instanceof SQLException sql) {
        throw sql;
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new EngineException(
          ErrorCode.INTERNAL, "opening connections failed: " + failure, failure);
    } finally {
      pool.shutdown();
    }
  }

  private static Connection open(Opener opener) {
    try {
      return opener.open();
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the work is done or has already failed with a better message
    }
  }
}
