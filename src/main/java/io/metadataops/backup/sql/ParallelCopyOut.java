package io.metadataops.backup.sql;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads one table's COPY rows over several connections that share a snapshot, each running {@code
 * COPY (SELECT ...) TO STDOUT} queries for parts of the table taken from a common list, and writes
 * the rows into the one COPY block of the dump on the calling thread. Rows come out in batches of
 * whole rows (the order of rows in a COPY block does not matter); each reader checksums its own
 * rows and the {@link TableDigest}s add up. Memory: a few pooled batch buffers.
 */
final class ParallelCopyOut {

  private static final int BATCH = 1024 * 1024;

  private record Batch(byte[] data, int length, long rows) {}

  private static final Batch DONE = new Batch(new byte[0], 0, 0);

  private final List<Connection> connections;
  private final ConcurrentLinkedQueue<String> queries;
  private final BlockingQueue<Batch> full;
  private final BlockingQueue<byte[]> free;
  private final List<TableDigest> digests = new ArrayList<>();
  private volatile boolean stop;
  private volatile Exception failure;

  private ParallelCopyOut(List<Connection> connections, List<String> queries) {
    this.connections = connections;
    this.queries = new ConcurrentLinkedQueue<>(queries);
    this.full = new ArrayBlockingQueue<>(connections.size() * 2 + 1);
    this.free = new ArrayBlockingQueue<>(connections.size() * 3);
    for (int i = 0; i < connections.size() * 3; i++) {
      free.add(new byte[BATCH]);
    }
  }

  /** Runs {@code queries} (COPY ... TO STDOUT) over {@code connections}; writes every row. */
  static TableDigest copy(
      List<Connection> connections, List<String> queries, DumpSink out, RowMeter meter)
      throws SQLException, IOException {
    return new ParallelCopyOut(connections, queries).run(out, meter);
  }

  private TableDigest run(DumpSink out, RowMeter meter) throws SQLException, IOException {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections.size(); i++) {
      TableDigest digest = new TableDigest(ChecksumAlgorithm.CURRENT);
      digests.add(digest);
      Connection connection = connections.get(i);
      Thread thread = new Thread(() -> read(connection, digest), "backup-reader-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    int running = threads.size();
    Exception writeFailure = null;
    try {
      while (running > 0) {
        Batch batch = full.take();
        if (batch == DONE) {
          running--;
          continue;
        }
        if (writeFailure == null) {
          try {
            out.write(batch.data, 0, batch.length);
            meter.add(batch.rows, batch.length);
          } catch (IOException | RuntimeException e) {
            writeFailure = e;
            stop = true; // the readers stop; batches are taken until they are all done
          }
        }
        if (batch.data.length == BATCH) {
          free.offer(batch.data);
        }
      }
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      stop = true;
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the table");
    }
    Exception e = writeFailure != null ? writeFailure : failure;
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof SQLException sql) {
      throw sql;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    TableDigest total = new TableDigest(ChecksumAlgorithm.CURRENT);
    digests.forEach(total::add);
    return total;
  }

  private void read(Connection connection, TableDigest digest) {
    byte[] buffer = null;
    int length = 0;
    long rows = 0;
    try {
      String query;
      while (!stop && (query = queries.poll()) != null) {
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(query);
        try {
          byte[] row;
          // One CopyData message per row: the row's text and '\n'.
          while (!stop && (row = copy.readFromCopy()) != null) {
            digest.wholeRow(row, 0, row.length);
            if (buffer != null && length + row.length > buffer.length) {
              full.put(new Batch(buffer, length, rows));
              buffer = null;
            }
            if (buffer == null) {
              buffer = row.length > BATCH ? new byte[row.length] : free.take();
              length = 0;
              rows = 0;
            }
            System.arraycopy(row, 0, buffer, length, row.length);
            length += row.length;
            rows++;
          }
        } finally {
          if (copy.isActive()) {
            copy.cancelCopy();
          }
        }
      }
      if (buffer != null && length > 0) {
        full.put(new Batch(buffer, length, rows));
      }
    } catch (SQLException | RuntimeException e) {
      if (failure == null) {
        failure = e;
      }
      stop = true;
    } catch (InterruptedException e) {
      stop = true;
    } finally {
      try {
        full.put(DONE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
