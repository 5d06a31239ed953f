package io.metadataops.backup.manifest;

/** One table in a backup: its row count and content checksum (see {@code RowDigest}). */
public record TableEntry(String name, long rows, String checksum) {}
