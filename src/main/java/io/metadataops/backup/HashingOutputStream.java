package io.metadataops.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Counts and SHA-256-hashes the bytes that reach storage. */
final class HashingOutputStream extends FilterOutputStream {

  private final MessageDigest sha256 = Sha256.newDigest();
  private long size;

  HashingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    sha256.update((byte) b);
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha256.update(b, off, len);
    size += len;
  }

  long size() {
    return size;
  }

  String sha256() {
    return Sha256.hex(sha256.digest());
  }
}
