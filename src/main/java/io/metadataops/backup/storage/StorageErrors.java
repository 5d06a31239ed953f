package io.metadataops.backup.storage;

import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns I/O failures into messages that say what to fix. */
final class StorageErrors {

  private StorageErrors() {}

  static EngineException io(String action, Location location, IOException e) {
    String detail = String.valueOf(e.getMessage());
    if (detail.contains("No space left on device") || detail.contains("Disk quota exceeded")) {
      return new EngineException(
          ErrorCode.STORAGE,
          "disk full while writing "
              + location
              + ": free space on the backup volume or enlarge it (the partial dump was removed)",
          e);
    }
    if (e instanceof AccessDeniedException) {
      return new EngineException(
          ErrorCode.STORAGE,
          "permission denied to " + action + " " + location + ": check the volume's owner/mode",
          e);
    }
    if (e instanceof NoSuchFileException) {
      return new EngineException(
          ErrorCode.NOT_FOUND, location + " does not exist: check the location", e);
    }
    return new EngineException(
        ErrorCode.STORAGE, "cannot " + action + " " + location + ": " + detail, e);
  }
}
