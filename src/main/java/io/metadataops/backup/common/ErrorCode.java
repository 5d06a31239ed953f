package io.metadataops.backup.common;

/** Why an engine operation failed; each maps to the process exit code documented for the CLI. */
public enum ErrorCode {
  INTERNAL(1),
  USAGE(2),
  UNREACHABLE(10),
  AUTHENTICATION(11),
  PRIVILEGE(12),
  DATABASE_NOT_FOUND(13),
  STORAGE(20),
  ALREADY_EXISTS(21),
  NOT_FOUND(22),
  INTEGRITY(30),
  MISMATCH(31),
  TARGET_NOT_EMPTY(32),
  SCHEMA_VERSION_MISMATCH(33),
  /**
   * The database holds a schema object the engine cannot carry (backup), or the target lacks what
   * the backup's objects need, such as an extension (restore).
   */
  UNSUPPORTED(34);

  private final int exitCode;

  ErrorCode(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
