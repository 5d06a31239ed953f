package io.metadataops.backup.sql;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a row, as four big-endian 64-bit lanes ({@code sha256-multiset-v1}). */
final class Sha256RowHash implements RowHash {

  private final MessageDigest digest;

  Sha256RowHash() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void update(byte value) {
    digest.update(value);
  }

  @Override
  public void update(byte[] bytes, int offset, int length) {
    digest.update(bytes, offset, length);
  }

  @Override
  public void finishInto(long[] lanes) {
    byte[] h = digest.digest();
    for (int lane = 0; lane < 4; lane++) {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (h[lane * 8 + i] & 0xff);
      }
      lanes[lane] += v;
    }
  }

  @Override
  public int lanes() {
    return 4;
  }
}
