package io.metadataops.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.metadataops.backup.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The result of one engine operation, printed as the one-line JSON summary (last line of stdout and
 * {@code --result-file}, e.g. a Job's termination log). Null fields are omitted. {@code
 * unfinishedMigrations}: what {@code inspect} found left STARTED or FAILED in a 2.x change log.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Summary(
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
    Long sortBufferSize,
    String database,
    Instant startedAt,
    Instant completedAt,
    Double durationSeconds,
    String error,
    String errorCode,
    List<String> unfinishedMigrations) {

  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  /** Kubernetes keeps at most 4096 bytes of a termination message. */
  public static final int MAX_BYTES = 4000;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  public static Summary started(String command, Instant startedAt) {
    Builder b = new Builder();
    b.command = command;
    b.startedAt = startedAt;
    return b.build();
  }

  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  public Summary succeeded(Instant completedAt) {
    return finish(SUCCEEDED, 0, completedAt, null, null);
  }

  public Summary failed(ErrorCode code, String message, Instant completedAt) {
    return finish(FAILED, code.exitCode(), completedAt, message, code.name());
  }

  private Summary finish(
      String newStatus, int code, Instant completed, String message, String errorCodeName) {
    return with(
        b -> {
          b.status = newStatus;
          b.exitCode = code;
          b.completedAt = completed;
          b.durationSeconds =
              startedAt == null ? null : Duration.between(startedAt, completed).toMillis() / 1000.0;
          b.error = message;
          b.errorCode = errorCodeName;
        });
  }

  public Summary withLocations(String dump, String manifest) {
    return with(
        b -> {
          b.location = dump;
          b.manifestLocation = manifest;
        });
  }

  public Summary withDump(long size, String sha) {
    return with(
        b -> {
          b.sizeBytes = size;
          b.sha256 = sha;
        });
  }

  public Summary withContent(int tableCount, long rowCount, String version) {
    return with(
        b -> {
          b.tables = tableCount;
          b.rows = rowCount;
          b.schemaVersion = version;
        });
  }

  public Summary withUnfinishedMigrations(List<String> rows) {
    return with(b -> b.unfinishedMigrations = rows);
  }

  public Summary withServer(String engineName, String version) {
    return with(
        b -> {
          b.engine = engineName;
          b.serverVersion = version;
        });
  }

  /** The session's sort buffer in bytes (MySQL, MariaDB), which migrations need enough of. */
  public Summary withSortBufferSize(Long bytes) {
    return with(b -> b.sortBufferSize = bytes);
  }

  /**
   * Where the engine connected, without credentials ({@code mysql://host:3306/openmetadata_db}):
   * the operator reads no Secret, so this is how it learns settings that live in one.
   */
  public Summary withDatabase(String where) {
    return with(b -> b.database = where);
  }

  private Summary withError(String message) {
    return with(b -> b.error = message);
  }

  /** A copy of this summary with what {@code change} sets on it: the one way to derive one. */
  private Summary with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The record's fields, settable: {@link #with} copies a summary through it. */
  private static final class Builder {
    String command;
    String status;
    Integer exitCode;
    String location;
    String manifestLocation;
    Long sizeBytes;
    String sha256;
    Integer tables;
    Long rows;
    String schemaVersion;
    String engine;
    String serverVersion;
    Long sortBufferSize;
    String database;
    Instant startedAt;
    Instant completedAt;
    Double durationSeconds;
    String error;
    String errorCode;
    List<String> unfinishedMigrations;

    Builder() {}

    Builder(Summary s) {
      command = s.command;
      status = s.status;
      exitCode = s.exitCode;
      location = s.location;
      manifestLocation = s.manifestLocation;
      sizeBytes = s.sizeBytes;
      sha256 = s.sha256;
      tables = s.tables;
      rows = s.rows;
      schemaVersion = s.schemaVersion;
      engine = s.engine;
      serverVersion = s.serverVersion;
      sortBufferSize = s.sortBufferSize;
      database = s.database;
      startedAt = s.startedAt;
      completedAt = s.completedAt;
      durationSeconds = s.durationSeconds;
      error = s.error;
      errorCode = s.errorCode;
      unfinishedMigrations = s.unfinishedMigrations;
    }

    Summary build() {
      return new Summary(
          command,
          status,
          exitCode,
          location,
          manifestLocation,
          sizeBytes,
          sha256,
          tables,
          rows,
          schemaVersion,
          engine,
          serverVersion,
          sortBufferSize,
          database,
          startedAt,
          completedAt,
          durationSeconds,
          error,
          errorCode,
          unfinishedMigrations);
    }
  }

  /** One line of JSON, at most {@link #MAX_BYTES} bytes: a long error message is truncated. */
  public String toJsonLine() {
    String json = json(this);
    if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES || error == null) {
      return json;
    }
    int overflow = json.getBytes(StandardCharsets.UTF_8).length - MAX_BYTES;
    // Characters can take up to 6 bytes once JSON-escaped; cut generously, then check again.
    String message = error;
    while (true) {
      int keep = Math.max(0, message.length() - Math.max(overflow, 16) - 16);
      message = message.substring(0, keep);
      String candidate = json(withError(message + "…[truncated]"));
      if (candidate.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES || keep == 0) {
        return candidate;
      }
      overflow = candidate.getBytes(StandardCharsets.UTF_8).length - MAX_BYTES;
    }
  }

  private static String json(Summary summary) {
    try {
      return MAPPER.writeValueAsString(summary);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
