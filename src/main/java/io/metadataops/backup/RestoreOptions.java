package io.metadataops.backup;

import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;

/**
 * {@code expectSchemaVersion} null: accept whatever OpenMetadata version the backup holds; {@code
 * parallel}: connections that load rows and build indexes at the same time (at least 1).
 */
public record RestoreOptions(
    String input,
    boolean dropExisting,
    String expectSchemaVersion,
    boolean allowSchemaMismatch,
    int parallel) {

  /** Two connections: enough to keep a database server busy while this process reads the dump. */
  public static final int DEFAULT_PARALLEL = 2;

  public RestoreOptions {
    if (parallel < 1) {
      throw new EngineException(ErrorCode.USAGE, "--parallel must be at least 1");
    }
  }

  public static RestoreOptions from(String input) {
    return new RestoreOptions(input, false, null, false, DEFAULT_PARALLEL);
  }

  public RestoreOptions droppingExisting() {
    return new RestoreOptions(input, true, expectSchemaVersion, allowSchemaMismatch, parallel);
  }

  public RestoreOptions expecting(String version, boolean allowMismatch) {
    return new RestoreOptions(input, dropExisting, version, allowMismatch, parallel);
  }

  public RestoreOptions withParallel(int connections) {
    return new RestoreOptions(
        input, dropExisting, expectSchemaVersion, allowSchemaMismatch, connections);
  }
}
