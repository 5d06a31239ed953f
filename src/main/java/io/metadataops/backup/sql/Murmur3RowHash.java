package io.metadataops.backup.sql;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash3 x64 128 with seed 0 (Austin Appleby's reference, public domain), computed over a row
 * given in pieces: the same result as hashing the concatenated bytes at once.
 */
final class Murmur3RowHash implements RowHash {

  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private final byte[] pending = new byte[16];
  private int pendingLength;
  private long h1;
  private long h2;
  private long length;

  @Override
  public void update(byte value) {
    pending[pendingLength++] = value;
    length++;
    if (pendingLength == 16) {
      block(pending, 0);
      pendingLength = 0;
    }
  }

  @Override
  public void update(byte[] bytes, int offset, int count) {
    length += count;
    int at = offset;
    int left = count;
    if (pendingLength > 0) {
      int n = Math.min(16 - pendingLength, left);
      System.arraycopy(bytes, at, pending, pendingLength, n);
      pendingLength += n;
      at += n;
      left -= n;
      if (pendingLength < 16) {
        return;
      }
      block(pending, 0);
      pendingLength = 0;
    }
    int blocksEnd = at + (left & ~15);
    for (; at < blocksEnd; at += 16) {
      block(bytes, at);
    }
    pendingLength = left & 15;
    System.arraycopy(bytes, at, pending, 0, pendingLength);
  }

  private void block(byte[] bytes, int at) {
    long k1 = (long) LITTLE_ENDIAN_LONG.get(bytes, at);
    long k2 = (long) LITTLE_ENDIAN_LONG.get(bytes, at + 8);
    h1 ^= Long.rotateLeft(k1 * C1, 31) * C2;
    h1 = Long.rotateLeft(h1, 27) + h2;
    h1 = h1 * 5 + 0x52dce729;
    h2 ^= Long.rotateLeft(k2 * C2, 33) * C1;
    h2 = Long.rotateLeft(h2, 31) + h1;
    h2 = h2 * 5 + 0x38495ab5;
  }

  @Override
  public void finishInto(long[] lanes) {
    long k1 = 0;
    long k2 = 0;
    for (int i = pendingLength - 1; i >= 8; i--) {
      k2 = (k2 << 8) | (pending[i] & 0xff);
    }
    for (int i = Math.min(pendingLength, 8) - 1; i >= 0; i--) {
      k1 = (k1 << 8) | (pending[i] & 0xff);
    }
    if (pendingLength > 8) {
      h2 ^= Long.rotateLeft(k2 * C2, 33) * C1;
    }
    if (pendingLength > 0) {
      h1 ^= Long.rotateLeft(k1 * C1, 31) * C2;
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = mix(h1);
    h2 = mix(h2);
    h1 += h2;
    h2 += h1;
    lanes[0] += h1;
    lanes[1] += h2;
    h1 = 0;
    h2 = 0;
    length = 0;
    pendingLength = 0;
  }

  private static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    return k ^ (k >>> 33);
  }

  @Override
  public int lanes() {
    return 2;
  }
}
