package io.metadataops.backup.sql;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How {@link TableDigest} hashes each row; the manifest names it, so a restore checks a backup with
 * the algorithm that backup was written with. The row hash detects accidental change (truncation, a
 * lost or altered row, a wrong conversion), not tampering: the dump's SHA-256 guards the file.
 */
public enum ChecksumAlgorithm {
  /** Written by engines before 2026-12: a SHA-256 per row, four 64-bit lanes. */
  SHA256_MULTISET_V1("sha256-multiset-v1", Sha256RowHash::new),
  /**
   * MurmurHash3 x64 128 (seed 0) per row, two 64-bit lanes: four to six times faster than SHA-256
   * per row in the JVM, which matters because every byte of every table is hashed at backup and
   * again after a restore.
   */
  MURMUR3_MULTISET_V2("murmur3-128-multiset-v2", Murmur3RowHash::new);

  /** What new backups are written with. */
  public static final ChecksumAlgorithm CURRENT = MURMUR3_MULTISET_V2;

  private final String id;
  private final Supplier<RowHash> rowHash;

  ChecksumAlgorithm(String id, Supplier<RowHash> rowHash) {
    this.id = id;
    this.rowHash = rowHash;
  }

  /** The name in the manifest's {@code checksumAlgorithm}. */
  public String id() {
    return id;
  }

  public static Optional<ChecksumAlgorithm> of(String id) {
    return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
  }

  RowHash newRowHash() {
    return rowHash.get();
  }
}
