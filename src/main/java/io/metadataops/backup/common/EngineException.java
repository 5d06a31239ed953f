package io.metadataops.backup.common;

import java.util.List;

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

  /**
   * Fails with {@code code} when {@code found} is not empty, naming every item: a refusal lists all
   * it found at once (the problem, each item, then the fix), so one round of fixes clears it.
   */
  public static void refuseAny(
      ErrorCode code, List<String> found, String problem, String separator, String fix) {
    if (!found.isEmpty()) {
      throw new EngineException(code, problem + String.join(separator, found) + fix);
    }
  }

  public ErrorCode code() {
    return code;
  }
}
