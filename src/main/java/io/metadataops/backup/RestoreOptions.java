package io.metadataops.backup;

/** {@code expectSchemaVersion} null: accept whatever OpenMetadata version the backup holds. */
public record RestoreOptions(
    String input, boolean dropExisting, String expectSchemaVersion, boolean allowSchemaMismatch) {

  public static RestoreOptions from(String input) {
    return new RestoreOptions(input, false, null, false);
  }

  public RestoreOptions droppingExisting() {
    return new RestoreOptions(input, true, expectSchemaVersion, allowSchemaMismatch);
  }

  public RestoreOptions expecting(String version, boolean allowMismatch) {
    return new RestoreOptions(input, dropExisting, version, allowMismatch);
  }
}
