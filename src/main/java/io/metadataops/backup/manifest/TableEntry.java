package io.metadataops.backup.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One table in a backup: its row count and content checksum (see {@code TableDigest}), and the size
 * of its largest row in bytes, which sets the heap a restore's check needs; null in manifests
 * written before it was recorded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableEntry(String name, long rows, String checksum, Long largestRowBytes) {

  public TableEntry(String name, long rows, String checksum) {
    this(name, rows, checksum, null);
  }
}
