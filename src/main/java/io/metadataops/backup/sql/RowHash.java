package io.metadataops.backup.sql;

/** The hash of one row's canonical bytes, fed in pieces; reusable row after row. */
interface RowHash {

  void update(byte value);

  void update(byte[] bytes, int offset, int length);

  /** Adds the row's hash to {@code lanes} (one 64-bit lane per 8 bytes) and starts a new row. */
  void finishInto(long[] lanes);

  /** How many 64-bit lanes the hash has. */
  int lanes();
}
