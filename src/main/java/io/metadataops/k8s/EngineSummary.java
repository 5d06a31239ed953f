package io.metadataops.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * The one-line JSON summary an engine subcommand leaves as its container's termination message (see
 * docs/backup-engine.md). Unknown fields are ignored so engine and operator can evolve apart.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EngineSummary(
    String command,
    String status,
    Integer exitCode,
    String location,
    String manifestLocation,
    Long sizeBytes,
    String sha256,
    Integer tables,
    Long rows,
    String schemaVersion,
    String engine,
    String serverVersion,
    String startedAt,
    String completedAt,
    Double durationSeconds,
    String error,
    String errorCode) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses a termination message; empty when it is not a summary (a crash leaves log lines). */
  public static Optional<EngineSummary> parse(String message) {
    if (message == null || !message.strip().startsWith("{")) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(message.strip(), EngineSummary.class));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
