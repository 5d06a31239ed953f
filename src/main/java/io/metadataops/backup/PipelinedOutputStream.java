package io.metadataops.backup;

import io.metadataops.backup.pipeline.Stage;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Hands what is written to a thread that passes it on (compression, SHA-256, storage), so that
 * producing the dump and storing it run on two cores. Data moves in a few pooled chunks: memory
 * stays flat. A failure of the downstream stream is thrown by the next write or by close.
 */
final class PipelinedOutputStream extends OutputStream {

  private static final int CHUNK = 1024 * 1024;
  private static final int CHUNKS = 3;

  private final Stage<IOException> stage = new Stage<>("dump-writer", IOException.class);
  private final Stage<IOException>.Lane<Chunk> full = stage.lane(CHUNKS + 1);

  /** Chunks written out, for the producer to fill again (one more is being filled). */
  private final Stage<IOException>.Lane<byte[]> free = stage.lane(CHUNKS + 1);

  private byte[] current = new byte[CHUNK];
  private int length;
  private boolean closed;

  private record Chunk(byte[] data, int length) {}

  PipelinedOutputStream(OutputStream out) {
    for (int i = 0; i < CHUNKS; i++) {
      free.offer(new byte[CHUNK]);
    }
    stage.start(
        worker -> {
          Chunk chunk;
          while ((chunk = full.take()) != null) {
            out.write(chunk.data, 0, chunk.length);
            free.offer(chunk.data);
          }
          out.close();
        });
  }

  @Override
  public void write(int b) throws IOException {
    if (length == CHUNK) {
      handOver();
    }
    current[length++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (length == CHUNK) {
        handOver();
      }
      int n = Math.min(len, CHUNK - length);
      System.arraycopy(b, off, current, length, n);
      length += n;
      off += n;
      len -= n;
    }
  }

  private void handOver() throws IOException {
    full.put(new Chunk(current, length));
    current = free.take();
    length = 0;
  }

  /** Writes what is left, closes the downstream stream and waits for it. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (length > 0) {
      full.put(new Chunk(current, length));
    }
    full.end();
    stage.join();
  }

  /** Stops without closing the downstream stream (the caller aborts it); never throws. */
  void abandon() {
    closed = true;
    stage.close();
  }
}
