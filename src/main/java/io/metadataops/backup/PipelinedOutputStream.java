package io.metadataops.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands what is written to a thread that passes it on (compression, SHA-256, storage), so that
 * producing the dump and storing it run on two cores. Data moves in a few pooled chunks: memory
 * stays flat. A failure of the downstream stream is thrown by the next write or by close.
 */
final class PipelinedOutputStream extends OutputStream {

  private static final int CHUNK = 1024 * 1024;
  private static final int CHUNKS = 3;

  private final OutputStream out;
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final Thread writer;
  private volatile Throwable failure;
  private byte[] current = new byte[CHUNK];
  private int length;
  private boolean closed;

  private record Chunk(byte[] data, int length) {}

  /** Ends the stream: close {@code out} (true) or abandon it (false). */
  private static final Chunk CLOSE = new Chunk(new byte[0], 0);

  private static final Chunk ABANDON = new Chunk(new byte[0], 0);

  PipelinedOutputStream(OutputStream out) {
    this.out = out;
    for (int i = 0; i < CHUNKS; i++) {
      free.add(new byte[CHUNK]);
    }
    writer = new Thread(this::writeAll, "dump-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private void writeAll() {
    while (true) {
      Chunk chunk;
      try {
        chunk = full.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        if (chunk == ABANDON) {
          return;
        }
        if (failure == null) {
          if (chunk == CLOSE) {
            out.close();
          } else {
            out.write(chunk.data, 0, chunk.length);
          }
        }
      } catch (IOException | RuntimeException | Error e) {
        failure = e;
      } finally {
        if (chunk.data.length == CHUNK) {
          free.offer(chunk.data);
        }
      }
      if (chunk == CLOSE) {
        return;
      }
    }
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
    rethrow();
    try {
      full.put(new Chunk(current, length));
      current = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the dump");
    }
    length = 0;
  }

  /** Writes what is left, closes the downstream stream and waits for it. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (length > 0) {
        full.put(new Chunk(current, length));
      }
      full.put(CLOSE);
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the dump");
    }
    rethrow();
  }

  /** Stops without closing the downstream stream (the caller aborts it); never throws. */
  void abandon() {
    if (closed) {
      return;
    }
    closed = true;
    full.clear();
    full.offer(ABANDON);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrow() throws IOException {
    Throwable e = failure;
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (e instanceof Error error) {
      throw error;
    }
  }
}
