package io.metadataops.backup.sql;

import java.nio.charset.StandardCharsets;

/**
 * The content checksum of one table, computed the same way at backup time and after a restore.
 *
 * <p>Each row's canonical form (its non-generated columns, see the dialects) is hashed with the
 * {@link ChecksumAlgorithm}'s row hash; the table checksum adds the row hashes lane by lane as
 * 64-bit numbers (a multiset hash). The sum does not depend on row order, so neither backup nor
 * check needs an ORDER BY (no sort on big tables) and tables without a primary key work; duplicate
 * rows still count twice.
 */
public final class TableDigest {

  private final ChecksumAlgorithm algorithm;
  private final RowHash row;
  private final long[] lanes;

  /** Non-null marker and big-endian length of a field. */
  private final byte[] header = {1, 0, 0, 0, 0};

  private long rows;

  /** Bytes of the current row and of the largest so far, as the canonical form counts them. */
  private long rowBytes;

  private long largestRow;

  public TableDigest(ChecksumAlgorithm algorithm) {
    this.algorithm = algorithm;
    this.row = algorithm.newRowHash();
    this.lanes = new long[row.lanes()];
  }

  /** Feeds one field of the current row; nulls are distinct from every value, '' included. */
  public void field(byte[] value) {
    if (value == null) {
      row.update((byte) 0);
      rowBytes++;
      return;
    }
    int n = value.length;
    rowBytes += 5 + n;
    header[1] = (byte) (n >>> 24);
    header[2] = (byte) (n >>> 16);
    header[3] = (byte) (n >>> 8);
    header[4] = (byte) n;
    row.update(header, 0, 5);
    row.update(value, 0, n);
  }

  public void field(String value) {
    field(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** Hashes a whole canonical row given as bytes (PostgreSQL: one COPY text line). */
  public void wholeRow(byte[] bytes, int offset, int length) {
    row.update(bytes, offset, length);
    rowBytes = length;
    endRow();
  }

  public void endRow() {
    row.finishInto(lanes);
    rows++;
    largestRow = Math.max(largestRow, rowBytes);
    rowBytes = 0;
  }

  /** Adds the rows of another part of the same table (the sum does not depend on the split). */
  public TableDigest add(TableDigest other) {
    if (other.algorithm != algorithm) {
      throw new IllegalArgumentException(
          "cannot add a " + other.algorithm.id() + " digest to a " + algorithm.id() + " one");
    }
    for (int lane = 0; lane < lanes.length; lane++) {
      lanes[lane] += other.lanes[lane];
    }
    rows += other.rows;
    largestRow = Math.max(largestRow, other.largestRow);
    return this;
  }

  public ChecksumAlgorithm algorithm() {
    return algorithm;
  }

  public long rows() {
    return rows;
  }

  /**
   * The size of the largest row in bytes of its canonical form: what the driver held of it, give or
   * take the protocol's framing (the heap a restore of these rows needs, see {@code Memory}).
   */
  public long largestRow() {
    return largestRow;
  }

  public String checksum() {
    StringBuilder sb = new StringBuilder(lanes.length * 16);
    for (long lane : lanes) {
      sb.append(String.format("%016x", lane));
    }
    return sb.toString();
  }
}
