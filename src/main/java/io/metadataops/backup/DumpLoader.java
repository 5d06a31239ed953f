package io.metadataops.backup;

import io.metadataops.backup.pipeline.Stage;
import io.metadataops.backup.sql.Dialect;
import io.metadataops.backup.sql.Dialect.RowStream;
import io.metadataops.backup.sql.RowMeter;
import io.metadataops.backup.sql.StatementReader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executes a dump, statement by statement in dump order, over a main connection and worker
 * connections. The calling thread reads and splits the dump; rows (MySQL INSERTs, PostgreSQL COPY
 * data in pieces of whole rows) and index builds go to the least busy worker, so the database
 * parses and writes them on several connections at once; every other statement waits until the
 * workers are idle and runs on the main connection, session settings on every connection. Queues
 * are short and COPY buffers pooled: memory does not grow with the dump.
 */
final class DumpLoader {

  /** COPY data piece; also the part size of a row longer than that. */
  private static final int CHUNK = 1024 * 1024;

  /** Tasks waiting per worker, besides the one it runs. */
  private static final int QUEUE = 2;

  /**
   * Characters of statements given to workers and not yet run: a few big INSERTs at most, so that
   * they die young and the heap stays small (a statement over the budget runs alone).
   */
  private static final int STATEMENT_BUDGET = 2 * 1024 * 1024;

  /** The worker threads and everything they and the reading thread hand over. */
  private final Stage<SQLException> stage = new Stage<>("restore-worker", SQLException.class);

  private final Stage<SQLException>.Permits budget = stage.permits(STATEMENT_BUDGET);

  /** Told when a COPY block's rows are all in. */
  interface CopyListener {
    /** {@code bytes}: the size of the block's rows in the dump. */
    void copied(String copyStatement, long bytes) throws SQLException;
  }

  private final Dialect dialect;
  private final CopyListener listener;
  private final Connection main;
  private final List<Worker> workers = new ArrayList<>();
  private final Stage<SQLException>.Lane<byte[]> chunks;

  /** A worker's word that it passed a fence. */
  private final Stage<SQLException>.Lane<Task> fenced;

  /** COPY buffers: one per task a worker may hold or run, and one being filled. */
  private final int poolSize;

  private int allocated;
  private int nextWorker;

  DumpLoader(
      Dialect dialect, Connection main, List<Connection> workerConnections, CopyListener listener) {
    this.dialect = dialect;
    this.listener = listener;
    this.main = main;
    for (Connection connection : workerConnections) {
      workers.add(new Worker(connection, workers.size()));
    }
    poolSize = workers.size() * (QUEUE + 2) + 1;
    chunks = stage.lane(poolSize);
    fenced = stage.lane(Math.max(1, workers.size()));
  }

  /** Executes every statement of the dump; returns how many there were. */
  long load(StatementReader reader, RowMeter meter) throws SQLException, IOException {
    try {
      if (!workers.isEmpty()) {
        stage.start(workers.size(), i -> workers.get(i).run());
      }
      long count = 0;
      long bytes = 0;
      String statement;
      while ((statement = reader.next()) != null) {
        count++;
        Position at = new Position(count, reader.line());
        switch (dialect.classify(statement)) {
          case SESSION -> {
            fence();
            execute(main, statement, at);
            for (Worker worker : workers) {
              worker.put(new Sql(statement, at, 0));
            }
            fence();
          }
          case ROWS, INDEX -> {
            if (workers.isEmpty()) {
              execute(main, statement, at);
            } else {
              int cost = Math.min(statement.length(), STATEMENT_BUDGET);
              budget.acquire(cost);
              leastBusy().put(new Sql(statement, at, cost));
            }
          }
          case COPY -> {
            long before = reader.bytesRead();
            copy(statement, reader, at);
            listener.copied(statement, reader.bytesRead() - before);
          }
          case SERIAL -> {
            fence();
            execute(main, statement, at);
          }
        }
        meter.add(1, reader.bytesRead() - bytes);
        bytes = reader.bytesRead();
        stage.rethrow();
      }
      fence();
      return count;
    } finally {
      stage.close();
    }
  }

  /** Streams a COPY block's data: in pieces of whole rows to the workers, or to main alone. */
  private void copy(String statement, StatementReader reader, Position at)
      throws SQLException, IOException {
    if (workers.isEmpty()) {
      byte[] buffer = new byte[CHUNK];
      RowStream rows = dialect.copyIn(main, statement);
      try {
        int n;
        while ((n = reader.readCopyData(buffer)) >= 0) {
          rows.write(buffer, 0, n);
        }
        rows.end();
      } catch (SQLException e) {
        rows.cancel();
        throw failed(e, at);
      } catch (IOException | RuntimeException e) {
        rows.cancel();
        throw e;
      }
      return;
    }
    Worker sticky = null;
    while (true) {
      byte[] buffer = chunks.poll();
      if (buffer == null) {
        buffer = takeOrAllocate();
      }
      int n = reader.readCopyData(buffer);
      if (n < 0) {
        chunks.offer(buffer);
        break;
      }
      // The parts of a row longer than a piece all go to the same worker, in order.
      Worker worker = sticky != null ? sticky : leastBusy();
      worker.put(new CopyData(statement, buffer, n, at));
      sticky = reader.endsInsideRow() ? worker : null;
      stage.rethrow();
    }
    // The workers end their COPY at the fence: the block's rows are all in before what follows.
    fence();
  }

  /** A pooled buffer; new ones only until the pool's size is reached. */
  private byte[] takeOrAllocate() throws SQLException, IOException {
    if (allocated < poolSize) {
      allocated++;
      return new byte[CHUNK];
    }
    return chunks.take();
  }

  private Worker leastBusy() {
    Worker best = null;
    for (int i = 0; i < workers.size(); i++) {
      Worker worker = workers.get((nextWorker + i) % workers.size());
      if (best == null || worker.queue.size() < best.queue.size()) {
        best = worker;
      }
    }
    nextWorker = (best.index + 1) % workers.size();
    return best;
  }

  /** Waits until every worker has finished what it was given (and ended its COPY). */
  private void fence() throws SQLException, IOException {
    if (workers.isEmpty()) {
      return;
    }
    for (Worker worker : workers) {
      worker.put(FENCE);
    }
    for (int i = 0; i < workers.size(); i++) {
      fenced.take();
    }
  }

  private void execute(Connection connection, String statement, Position at) throws SQLException {
    try {
      dialect.execute(connection, statement);
    } catch (SQLException e) {
      throw failed(e, at);
    }
  }

  private static SQLException failed(SQLException e, Position at) {
    return new SQLException(
        "statement "
            + at.number
            + " (ending at line "
            + at.line
            + " of the dump) failed: "
            + e.getMessage(),
        e.getSQLState(),
        e.getErrorCode(),
        e);
  }

  private record Position(long number, long line) {}

  private interface Task {}

  private record Sql(String statement, Position at, int cost) implements Task {}

  private record CopyData(String statement, byte[] buffer, int length, Position at)
      implements Task {}

  /** Ends a worker's COPY, if any; the worker then says so on {@link #fenced}. */
  private static final Task FENCE = new Task() {};

  /** Attempts of a statement that failed in a way that left no trace (see Dialect#retryable). */
  private static final int RETRIES = 10;

  private final AtomicInteger retries = new AtomicInteger();

  /** Statements run again after a deadlock or lock timeout. */
  int retries() {
    return retries.get();
  }

  private static void sleep(long millis) throws SQLException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while restoring", e);
    }
  }

  /** One connection, run by a thread of the stage; a failure fails the stage. */
  private final class Worker {
    final Connection connection;
    final int index;
    final Stage<SQLException>.Lane<Task> queue = stage.lane(QUEUE);
    private RowStream copy;
    private String copyStatement;
    private Position copyAt;

    Worker(Connection connection, int index) {
      this.connection = connection;
      this.index = index;
    }

    void put(Task task) throws SQLException, IOException {
      queue.put(task);
    }

    /** Runs tasks until the stage is closed or fails. */
    void run() throws SQLException, IOException {
      try {
        Task task;
        while ((task = queue.take()) != null) {
          try {
            execute(task);
          } catch (RuntimeException | Error e) {
            throw new SQLException("restore worker failed: " + e, e);
          } finally {
            if (task instanceof CopyData data) {
              chunks.offer(data.buffer);
            } else if (task instanceof Sql sql) {
              budget.release(sql.cost);
            }
          }
          if (task == FENCE) {
            fenced.put(FENCE);
          }
        }
      } finally {
        if (copy != null) {
          copy.cancel();
        }
      }
    }

    private void execute(Task task) throws SQLException {
      if (task instanceof Sql sql) {
        for (int attempt = 1; ; attempt++) {
          try {
            dialect.execute(connection, sql.statement);
            break;
          } catch (SQLException e) {
            if (attempt == RETRIES || !dialect.retryable(e)) {
              throw failed(e, sql.at);
            }
            retries.incrementAndGet();
            sleep(attempt * 20L);
          }
        }
      } else if (task instanceof CopyData data) {
        if (copy != null && !data.statement.equals(copyStatement)) {
          endCopy(data.at);
        }
        if (copy == null) {
          copy = dialect.copyIn(connection, data.statement);
          copyStatement = data.statement;
          copyAt = data.at;
        }
        try {
          copy.write(data.buffer, 0, data.length);
        } catch (SQLException e) {
          RowStream failedCopy = copy;
          copy = null;
          failedCopy.cancel();
          throw failed(e, data.at);
        }
      } else if (task == FENCE && copy != null) {
        endCopy(copyAt);
      }
    }

    private void endCopy(Position at) throws SQLException {
      RowStream ending = copy;
      copy = null;
      try {
        ending.end();
      } catch (SQLException e) {
        ending.cancel();
        throw failed(e, at);
      }
    }
  }
}
