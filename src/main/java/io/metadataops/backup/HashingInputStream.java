package io.metadataops.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Counts and SHA-256-hashes the bytes read from storage. */
final class HashingInputStream extends FilterInputStream {

  private final MessageDigest sha256 = Sha256.newDigest();
  private long size;

  HashingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      sha256.update((byte) b);
      size++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      sha256.update(b, off, n);
      size += n;
    }
    return n;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads what is left so the hash covers the whole object. */
  void drain() throws IOException {
    byte[] buffer = new byte[256 * 1024];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashing happens in read
    }
  }

  long size() {
    return size;
  }

  String sha256() {
    return Sha256.hex(sha256.digest());
  }
}
