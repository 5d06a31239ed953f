package io.metadataops.backup;

import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;

/**
 * What a heap of a given size supports. Rows are streamed, but each row is read whole by the JDBC
 * drivers (pgjdbc: one COPY row, one array; Connector/J: the row's packet, plus a copy of each
 * value the engine takes), so the largest single row, not the table, sets the heap the engine
 * needs: about four times the largest row plus {@link #BASELINE_BYTES} (Connector/J reassembles a
 * row of several 16 MB protocol packets by growing an array, and the heap must find room for each
 * array in one piece). A backup or check that meets a row the heap cannot hold fails with {@link
 * ErrorCode#UNSUPPORTED} naming the table, instead of an unexplained crash; the backup leaves no
 * partial dump.
 */
final class Memory {

  /** What the engine itself holds besides the row being read: buffers, pools, the driver. */
  static final long BASELINE_BYTES = 64L * 1024 * 1024;

  private Memory() {}

  /** The largest row the current heap supports, by the rule above. */
  static long largestRow() {
    return Math.max(0, (Runtime.getRuntime().maxMemory() - BASELINE_BYTES) / 4);
  }

  static EngineException exhausted(String during, OutOfMemoryError e) {
    long heap = Runtime.getRuntime().maxMemory() >> 20;
    return new EngineException(
        ErrorCode.UNSUPPORTED,
        "the engine ran out of memory while "
            + during
            + ": a row is read whole, and this heap ("
            + heap
            + " MB) holds rows up to about "
            + (largestRow() >> 20)
            + " MB (four times the largest row plus "
            + (BASELINE_BYTES >> 20)
            + " MB); give the engine more memory (the Job's memory limit, or -Xmx)",
        e);
  }
}
