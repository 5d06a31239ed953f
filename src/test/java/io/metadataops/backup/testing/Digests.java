package io.metadataops.backup.testing;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.manifest.Manifest;
import io.metadataops.backup.manifest.ManifestCodec;
import io.metadataops.backup.manifest.TableEntry;
import io.metadataops.backup.sql.ChecksumAlgorithm;
import io.metadataops.backup.sql.Dialect;
import io.metadataops.backup.sql.TableDigest;
import io.metadataops.backup.sql.TableInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Table name -> "rows:checksum" for a whole database, and the same from a manifest. */
public final class Digests {
  private Digests() {}

  public static Map<String, String> of(ConnectionSpec spec) throws SQLException {
    return byName(entries(spec, ChecksumAlgorithm.CURRENT));
  }

  /** Every table's row count and checksum with {@code algorithm}, as a manifest lists them. */
  public static List<TableEntry> entries(ConnectionSpec spec, ChecksumAlgorithm algorithm)
      throws SQLException {
    Dialect dialect = Dialect.of(spec.scheme());
    List<TableEntry> entries = new ArrayList<>();
    try (Connection c = dialect.connect(spec)) {
      for (TableInfo table : dialect.tables(c, spec)) {
        TableDigest digest = dialect.digest(c, table, algorithm);
        entries.add(new TableEntry(table.name(), digest.rows(), digest.checksum()));
      }
    }
    return entries;
  }

  public static Map<String, String> of(Manifest manifest) {
    return byName(manifest.tables());
  }

  private static Map<String, String> byName(List<TableEntry> entries) {
    Map<String, String> result = new TreeMap<>();
    for (TableEntry t : entries) {
      result.put(t.name(), t.rows() + ":" + t.checksum());
    }
    return result;
  }

  public static Manifest manifest(Path dump) throws IOException {
    Path file = Path.of(dump + ".manifest.json");
    return ManifestCodec.read(Files.readAllBytes(file), file.toString());
  }
}
