package io.metadataops.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.metadataops.backup.Summary;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads the engine's one-line JSON {@link Summary} back from a container's termination message, the
 * channel by which a Job reports its result without any extra service.
 */
public final class TerminationMessages {

  /** Tolerates fields a newer engine adds, so engine and operator can be upgraded apart. */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private TerminationMessages() {}

  /** The summary, or empty when the message is not one (a crash leaves log lines instead). */
  public static Optional<Summary> summary(String message) {
    if (message == null || !message.strip().startsWith("{")) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(message.strip(), Summary.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
