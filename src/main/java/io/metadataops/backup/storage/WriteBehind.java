package io.metadataops.backup.storage;

import io.metadataops.backup.pipeline.Stage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

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
  private final Stage<IOException> stage;
  private final Stage<IOException>.Lane<ByteBuffer> full;
  private final Stage<IOException>.Lane<ByteBuffer> free;
  private ByteBuffer current;
  private int allocated;
  private long size;
  private boolean closed;

  WriteBehind(FileChannel channel, int alignment, String name) {
    this.channel = channel;
    this.alignment = alignment;
    stage = new Stage<>(name, IOException.class);
    full = stage.lane(BLOCKS + 1);
    free = stage.lane(BLOCKS);
    current = allocate();
    stage.start(
        worker -> {
          ByteBuffer block;
          while ((block = full.take()) != null) {
            while (block.hasRemaining()) {
              channel.write(block);
            }
            free.offer(block.clear());
          }
        });
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
    full.put(current.flip());
    // A small file (a manifest) never needs more than its first block.
    ByteBuffer block = allocated < BLOCKS ? free.poll() : free.take();
    current = block != null ? block : allocate();
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
    if (padded > 0) {
      full.put(current.flip());
    }
    full.end();
    stage.join();
    if (padded > tail) {
      channel.truncate(size);
    }
  }

  /** Stops without writing what is left (interrupting a write under way); never throws. */
  void discard() {
    closed = true;
    stage.cancel(true);
  }
}
