package io.metadataops.backup.sql;

import io.metadataops.backup.common.Progress;

/** Counts rows and bytes of one table and reports on stderr every few seconds. */
public final class RowMeter {

  private static final long REPORT_EVERY_NANOS = 5_000_000_000L;

  private final Progress progress;
  private final String action;
  private final String table;
  private final String unit;
  private final long started = System.nanoTime();
  private long lastReport = started;
  private long rows;
  private long bytes;

  public RowMeter(Progress progress, String action, String table, String unit) {
    this.progress = progress;
    this.unit = unit;
    this.action = action;
    this.table = table;
  }

  public void add(long rowCount, long byteCount) {
    rows += rowCount;
    bytes += byteCount;
    if ((rows & 1023) == 0) {
      long now = System.nanoTime();
      if (now - lastReport > REPORT_EVERY_NANOS) {
        lastReport = now;
        report("…");
      }
    }
  }

  public void done() {
    report("done");
  }

  private void report(String state) {
    double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
    progress.line(
        String.format(
            "%s %s: %d %s, %.1f MB, %.1f MB/s, %.1f s %s",
            action, table, rows, unit, bytes / 1e6, bytes / 1e6 / seconds, seconds, state));
  }
}
