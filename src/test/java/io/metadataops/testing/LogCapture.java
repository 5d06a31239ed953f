package io.metadataops.testing;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects everything logged in this JVM while open, to check what the operator writes. */
public final class LogCapture extends Handler implements AutoCloseable {

  private final StringBuffer text = new StringBuffer();

  private LogCapture() {}

  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  public String text() {
    return text.toString();
  }

  @Override
  public void publish(LogRecord record) {
    String message = record.getMessage();
    if (record.getParameters() != null && message != null) {
      try {
        message = String.format(message, record.getParameters());
      } catch (java.util.IllegalFormatException e) {
        message = message + " " + java.util.Arrays.toString(record.getParameters());
      }
    }
    text.append(record.getLoggerName()).append(": ").append(message).append('\n');
    if (record.getThrown() != null) {
      text.append(record.getThrown()).append('\n');
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
