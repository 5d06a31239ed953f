package io.metadataops.backup.common;

import java.io.PrintStream;

/** Progress lines for people watching a Job's log; the engine never writes them to stdout. */
public interface Progress {

  void line(String message);

  static Progress to(PrintStream stream) {
    return message -> {
      stream.println(message);
      stream.flush();
    };
  }

  static Progress none() {
    return message -> {};
  }
}
