package io.metadataops.backup.sql;

import io.metadataops.backup.pipeline.Stage;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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

  private final List<Connection> connections;
  private final ConcurrentLinkedQueue<String> queries;
  private final Stage<SQLException> stage = new Stage<>("backup-reader", SQLException.class);
  private final Stage<SQLException>.Lane<Batch> full;
  private final Stage<SQLException>.Lane<byte[]> free;
  private final List<TableDigest> digests = new ArrayList<>();

  private ParallelCopyOut(List<Connection> connections, List<String> queries) {
    this.connections = connections;
    this.queries = new ConcurrentLinkedQueue<>(queries);
    this.full = stage.lane(connections.size() * 2 + 1, connections.size());
    this.free = stage.lane(connections.size() * 3);
    for (int i = 0; i < connections.size() * 3; i++) {
      free.offer(new byte[BATCH]);
    }
    for (int i = 0; i < connections.size(); i++) {
      digests.add(new TableDigest(ChecksumAlgorithm.CURRENT));
    }
  }

  /** Runs {@code queries} (COPY ... TO STDOUT) over {@code connections}; writes every row. */
  static TableDigest copy(
      List<Connection> connections, List<String> queries, DumpSink out, RowMeter meter)
      throws SQLException, IOException {
    return new ParallelCopyOut(connections, queries).run(out, meter);
  }

  private TableDigest run(DumpSink out, RowMeter meter) throws SQLException, IOException {
    try {
      stage.start(connections.size(), i -> read(connections.get(i), digests.get(i)));
      Batch batch;
      while ((batch = full.take()) != null) {
        out.write(batch.data, 0, batch.length);
        meter.add(batch.rows, batch.length);
        if (batch.data.length == BATCH) {
          free.offer(batch.data);
        }
      }
      stage.join();
    } finally {
      stage.close(); // after a failure: the readers stop at their next row
    }
    TableDigest total = new TableDigest(ChecksumAlgorithm.CURRENT);
    digests.forEach(total::add);
    return total;
  }

  private void read(Connection connection, TableDigest digest) throws SQLException, IOException {
    byte[] buffer = null;
    int length = 0;
    long rows = 0;
    String query;
    while (!stage.failed() && (query = queries.poll()) != null) {
      CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(query);
      try {
        byte[] row;
        // One CopyData message per row: the row's text and '\n'.
        while (!stage.failed() && (row = copy.readFromCopy()) != null) {
          digest.wholeRow(row, 0, row.length);
          if (buffer != null && length + row.length > buffer.length) {
            full.put(new Batch(buffer, length, rows));
            buffer = null;
          }
          if (row.length > BATCH) {
            // A row longer than a batch goes as it is: the driver's array is the row's only
            // copy in memory (a copy would double the heap a big value needs).
            full.put(new Batch(row, row.length, 1));
            continue;
          }
          if (buffer == null) {
            buffer = free.take();
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
    full.end();
  }
}
