package io.metadataops.backup.sql;

import java.util.Map;

/**
 * How big a table's rows get, in bytes of their canonical form: the largest row, and the largest
 * value of each stored column (column order).
 */
public record ValueSizes(long largestRow, Map<String, Long> largestValues) {}
