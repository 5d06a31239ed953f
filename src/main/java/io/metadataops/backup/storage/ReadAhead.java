package io.metadataops.backup.storage;

import io.metadataops.backup.pipeline.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a file through its channel in large blocks on a thread of its own, ahead of the reader, so
 * that the thread consuming the data never waits for the disk. With a channel opened for direct I/O
 * ({@code alignment} > 1) the blocks are aligned native memory, as direct I/O requires. Memory: a
 * few pooled blocks. Closing the stream closes the channel.
 */
final class ReadAhead extends InputStream {

  private static final int BLOCKS = 3;

  private final FileChannel channel;
  private final long size;
  private final Stage<IOException> stage;
  private final Stage<IOException>.Lane<ByteBuffer> full;
  private final Stage<IOException>.Lane<ByteBuffer> free;
  private ByteBuffer current = EMPTY;
  private long delivered;
  private boolean ended;

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  ReadAhead(FileChannel channel, int alignment, String name) throws IOException {
    this.channel = channel;
    this.size = channel.size();
    // A small file (a manifest) is read in one block of its own size.
    long aligned = (size + alignment) / alignment * alignment;
    int block = (int) Math.min(WriteBehind.BLOCK, aligned);
    int blocks = size < block ? 1 : BLOCKS;
    stage = new Stage<>(name, IOException.class);
    full = stage.lane(BLOCKS + 1);
    free = stage.lane(BLOCKS);
    for (int i = 0; i < blocks; i++) {
      free.offer(WriteBehind.alignedBlock(block, alignment));
    }
    stage.start(worker -> readAll());
  }

  private void readAll() throws IOException {
    long read = 0;
    while (true) {
      ByteBuffer block = free.take();
      block.clear();
      // Up to the size the file had when opened: a direct read past its unaligned end fails.
      while (block.hasRemaining() && read < size) {
        int n = channel.read(block);
        if (n < 0) {
          break;
        }
        read += n;
      }
      if (block.position() == 0) {
        full.end();
        return;
      }
      full.put(block.flip());
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!current.hasRemaining() && !next()) {
      return -1;
    }
    int n = Math.min(len, current.remaining());
    current.get(b, off, n);
    delivered += n;
    return n;
  }

  /** What is left of the file: GZIPInputStream asks, to find a member after the first. */
  @Override
  public int available() {
    return ended ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, size - delivered));
  }

  /** Moves on to the next block read; false at the end. */
  private boolean next() throws IOException {
    if (ended) {
      return false;
    }
    if (current != EMPTY) {
      free.offer(current);
      current = EMPTY;
    }
    ByteBuffer next;
    try {
      next = full.take();
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      ended = true; // the read failed: no more data comes
      throw e;
    }
    if (next == null) {
      ended = true;
      return false;
    }
    current = next;
    return true;
  }

  @Override
  public void close() throws IOException {
    stage.cancel(true);
    channel.close();
  }
}
