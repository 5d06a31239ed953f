package io.metadataops.backup.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes a new file through its channel in large blocks on a thread of its own, so that the thread
 * producing the data never waits for the disk. With a channel opened for direct I/O ({@code
 * alignment} > 1) every write is a whole number of aligned blocks from aligned native memory; the
 * last block is padded and the file truncated to its real size when the writer is closed. Memory: a
 * few pooled blocks. Closing the writer leaves the channel open for the caller to sync and close.
 */
final class WriteBehind extends OutputStream {

  static final int BLOCK = 4 * 1024 * 1024;
  private static final int BLOCKS = 3;

  private final FileChannel channel;
  private final int alignment;
  private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BLOCKS + 1);
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BLOCKS);
  private final Thread thread;
  private volatile IOException failure;
  private ByteBuffer current;
  private int allocated;
  private long size;
  private boolean closed;

  /** Ends the writing thread. */
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  WriteBehind(FileChannel channel, int alignment, String name) {
    this.channel = channel;
    this.alignment = alignment;
    current = allocate();
    thread = new Thread(this::writeAll, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void writeAll() {
    try {
      ByteBuffer block;
      while ((block = full.take()) != END) {
        if (failure == null) {
          try {
            while (block.hasRemaining()) {
              channel.write(block);
            }
          } catch (IOException e) {
            failure = e;
          }
        }
        block.clear();
        free.put(block);
      }
    } catch (InterruptedException e) {
      // discarded: nothing more is written
    }
  }

  @Override
  public void write(int b) throws IOException {
    if (!current.hasRemaining()) {
      handOver();
    }
    current.put((byte) b);
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (!current.hasRemaining()) {
        handOver();
      }
      int n = Math.min(len, current.remaining());
      current.put(b, off, n);
      size += n;
      off += n;
      len -= n;
    }
  }

  private void handOver() throws IOException {
    rethrow();
    try {
      full.put(current.flip());
      // A small file (a manifest) never needs more than its first block.
      ByteBuffer block = allocated < BLOCKS ? free.poll() : free.take();
      current = block != null ? block : allocate();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
  }

  private ByteBuffer allocate() {
    allocated++;
    return alignedBlock(BLOCK, alignment);
  }

  /** Native memory at an address that direct I/O accepts. */
  static ByteBuffer alignedBlock(int size, int alignment) {
    return ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment);
  }

  /** Writes what is left, waits until it is written and gives the file its real size. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    int tail = current.position();
    int padded = (tail + alignment - 1) / alignment * alignment;
    while (current.position() < padded) {
      current.put((byte) 0);
    }
    try {
      if (padded > 0) {
        full.put(current.flip());
      }
      full.put(END);
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
    rethrow();
    if (padded > tail) {
      channel.truncate(size);
    }
  }

  /** Stops without writing what is left; never throws. */
  void discard() {
    if (closed) {
      return;
    }
    closed = true;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrow() throws IOException {
    if (failure != null) {
      throw failure;
    }
  }
}
