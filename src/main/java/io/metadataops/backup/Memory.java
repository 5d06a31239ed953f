package io.metadataops.backup;

import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.manifest.Manifest;
import io.metadataops.backup.sql.ValueSizes;
import java.util.List;

/**
 * What a heap of a given size supports. Rows are streamed, but each row is read whole by the JDBC
 * drivers (pgjdbc: one COPY row, one array; Connector/J: the row's packet, plus a copy of each
 * value the engine takes), so the largest single row, not the table, sets the heap the engine
 * needs: about four times the largest row plus {@link #BASELINE_BYTES} (Connector/J reassembles a
 * row of several 16 MB protocol packets by growing an array, and the heap must find room for each
 * array in one piece). A backup records each table's largest row in the manifest, so a restore or
 * verify whose heap is too small is refused before it touches the target; a backup or check that
 * meets a row the heap cannot hold fails with {@link ErrorCode#UNSUPPORTED} naming the table and
 * the heap it needs, instead of an unexplained crash; the backup leaves no partial dump.
 */
final class Memory {

  /** What the engine itself holds besides the row being read: buffers, pools, the driver. */
  static final long BASELINE_BYTES = 64L * 1024 * 1024;

  private static final String FIX =
      "give the engine more memory (job.resources: the heap is half the memory limit; or -Xmx)";

  private Memory() {}

  /** The largest row the current heap supports, by the rule above. */
  static long largestRow() {
    return Math.max(0, (heap() - BASELINE_BYTES) / 4);
  }

  /** The heap a row of {@code rowBytes} needs, by the rule above. */
  static long heapFor(long rowBytes) {
    return 4 * rowBytes + BASELINE_BYTES;
  }

  /**
   * Refuses, before anything is restored, a backup whose largest rows (as its manifest records
   * them) this heap cannot read back; manifests written before they were recorded pass.
   */
  static void requireRoomFor(Manifest manifest) {
    List<String> tooBig =
        manifest.tables().stream()
            .filter(t -> t.largestRowBytes() != null && heapFor(t.largestRowBytes()) > heap())
            .map(
                t ->
                    "table "
                        + t.name()
                        + " (rows up to "
                        + mb(t.largestRowBytes())
                        + " MB need a heap of "
                        + mb(heapFor(t.largestRowBytes()))
                        + " MB)")
            .toList();
    EngineException.refuseAny(
        ErrorCode.UNSUPPORTED,
        tooBig,
        "this engine's heap ("
            + mb(heap())
            + " MB) cannot read back the largest rows of the backup, which the restore's check"
            + " reads whole (the heap needs four times the largest row plus "
            + mb(BASELINE_BYTES)
            + " MB): ",
        "; ",
        ": " + FIX + "; nothing was restored");
  }

  /**
   * The refusal for a row the heap could not hold; {@code found}, when known, says how big the
   * table's rows and values are (see {@link #sizes}).
   */
  static EngineException exhausted(String during, String found, OutOfMemoryError e) {
    return new EngineException(
        ErrorCode.UNSUPPORTED,
        "the engine ran out of memory while "
            + during
            + (found == null ? "" : ": " + found)
            + ": a row is read whole, and this heap ("
            + mb(heap())
            + " MB) holds rows up to about "
            + (largestRow() >> 20)
            + " MB (four times the largest row plus "
            + mb(BASELINE_BYTES)
            + " MB); "
            + FIX,
        e);
  }

  static EngineException exhausted(String during, OutOfMemoryError e) {
    return exhausted(during, null, e);
  }

  /**
   * What a table's sizes demand: its largest row, the heap that row needs, and the columns whose
   * values are largest (at most three, over 1 MB), largest first.
   */
  static String sizes(ValueSizes sizes) {
    StringBuilder sb =
        new StringBuilder("its largest row holds ")
            .append(mb(sizes.largestRow()))
            .append(" MB and needs a heap of at least ")
            .append(mb(heapFor(sizes.largestRow())))
            .append(" MB");
    List<String> columns =
        sizes.largestValues().entrySet().stream()
            .filter(v -> v.getValue() > 1L << 20)
            .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .limit(3)
            .map(v -> "column " + v.getKey() + " up to " + mb(v.getValue()) + " MB")
            .toList();
    if (!columns.isEmpty()) {
      sb.append(" (").append(String.join(", ", columns)).append(')');
    }
    return sb.toString();
  }

  private static long heap() {
    return Runtime.getRuntime().maxMemory();
  }

  /** Megabytes, rounded up: a stated need is never below the real one. */
  private static long mb(long bytes) {
    return (bytes + (1L << 20) - 1) >> 20;
  }
}
