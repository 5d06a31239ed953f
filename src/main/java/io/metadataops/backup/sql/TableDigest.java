package io.metadataops.backup.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The content checksum of one table, computed the same way at backup time and after a restore.
 *
 * <p>Each row's canonical form (its non-generated columns, see the dialects) is hashed with
 * SHA-256; the table checksum adds the row hashes as four 64-bit lanes (a multiset hash). The sum
 * does not depend on row order, so neither backup nor check needs an ORDER BY (no sort on big
 * tables) and tables without a primary key work; duplicate rows still count twice.
 */
public final class TableDigest {

  public static final String ALGORITHM = "sha256-multiset-v1";

  private final MessageDigest row;
  private final long[] lanes = new long[4];

  /** Non-null marker and big-endian length of a field. */
  private final byte[] header = {1, 0, 0, 0, 0};

  private long rows;

  public TableDigest() {
    try {
      row = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Feeds one field of the current row; nulls are distinct from every value, '' included. */
  public void field(byte[] value) {
    if (value == null) {
      row.update((byte) 0);
      return;
    }
    int n = value.length;
    header[1] = (byte) (n >>> 24);
    header[2] = (byte) (n >>> 16);
    header[3] = (byte) (n >>> 8);
    header[4] = (byte) n;
    row.update(header, 0, 5);
    row.update(value);
  }

  public void field(String value) {
    field(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** Hashes a whole canonical row given as bytes (PostgreSQL: one COPY text line). */
  public void wholeRow(byte[] bytes, int offset, int length) {
    row.update(bytes, offset, length);
    endRow();
  }

  public void endRow() {
    byte[] h = row.digest();
    for (int lane = 0; lane < 4; lane++) {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (h[lane * 8 + i] & 0xff);
      }
      lanes[lane] += v;
    }
    rows++;
  }

  /** Adds the rows of another part of the same table (the sum does not depend on the split). */
  public TableDigest add(TableDigest other) {
    for (int lane = 0; lane < 4; lane++) {
      lanes[lane] += other.lanes[lane];
    }
    rows += other.rows;
    return this;
  }

  public long rows() {
    return rows;
  }

  public String checksum() {
    StringBuilder sb = new StringBuilder(64);
    for (long lane : lanes) {
      sb.append(String.format("%016x", lane));
    }
    return sb.toString();
  }
}
