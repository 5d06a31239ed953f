package io.metadataops.backup.common;

/**
 * A failure the engine understands: it carries the {@link ErrorCode} and a message that names the
 * cause and the fix. Messages never contain the database password.
 */
public class EngineException extends RuntimeException {

  private final ErrorCode code;

  public EngineException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public EngineException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
