package io.metadataops.backup;

import java.util.List;

/**
 * {@code compression} null means: gzip when the output name ends with .gz. {@code include} empty
 * means every table; names match case-insensitively. {@code sync}: a local dump and its manifest
 * are on disk before the backup reports success (false: like pg_dump's plain format and mysqldump,
 * they may stay in the page cache for a while).
 */
public record BackupOptions(
    String output,
    Compression compression,
    List<String> include,
    List<String> exclude,
    boolean sync) {

  public BackupOptions {
    include = include == null ? List.of() : List.copyOf(include);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
  }

  public static BackupOptions to(String output) {
    return new BackupOptions(output, null, List.of(), List.of(), true);
  }
}
