package io.metadataops.backup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

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
  private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BLOCKS + 1);
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BLOCKS);
  private final Thread thread;
  private volatile IOException failure;
  private ByteBuffer current = ByteBuffer.allocate(0);
  private long delivered;
  private boolean ended;

  /** The end of the file, or of reading after a failure. */
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  ReadAhead(FileChannel channel, int alignment, String name) throws IOException {
    this.channel = channel;
    this.size = channel.size();
    // A small file (a manifest) is read in one block of its own size.
    long aligned = (size + alignment) / alignment * alignment;
    int block = (int) Math.min(WriteBehind.BLOCK, aligned);
    int blocks = size < block ? 1 : BLOCKS;
    for (int i = 0; i < blocks; i++) {
      free.add(WriteBehind.alignedBlock(block, alignment));
    }
    thread = new Thread(this::readAll, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void readAll() {
    long read = 0;
    try {
      while (true) {
        ByteBuffer block = free.take();
        block.clear();
        try {
          // Up to the size the file had when opened: a direct read past its unaligned end fails.
          while (block.hasRemaining() && read < size) {
            int n = channel.read(block);
            if (n < 0) {
              break;
            }
            read += n;
          }
        } catch (IOException e) {
          failure = e;
          full.put(END);
          return;
        }
        if (block.position() == 0) {
          full.put(END);
          return;
        }
        full.put(block.flip());
      }
    } catch (InterruptedException e) {
      // closed: nothing more is read
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
    if (current.capacity() > 0) {
      free.add(current);
    }
    try {
      current = full.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading");
    }
    if (current == END) {
      ended = true;
      if (failure != null) {
        throw failure;
      }
      return false;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
  }
}
