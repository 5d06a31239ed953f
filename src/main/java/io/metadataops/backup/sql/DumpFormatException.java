package io.metadataops.backup.sql;

import java.io.IOException;

/** The dump text cannot be split into statements: it is truncated or was altered. */
public class DumpFormatException extends IOException {
  public DumpFormatException(String message) {
    super(message);
  }
}
