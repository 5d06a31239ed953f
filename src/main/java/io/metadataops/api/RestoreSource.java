package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.metadataops.api.shared.StorageSpec;

/** A dump given by where it is stored rather than by the MetadataBackup that wrote it. */
public class RestoreSource {

  @Required
  @JsonPropertyDescription("Storage holding the dump.")
  public StorageSpec storage;

  @Required
  @JsonPropertyDescription(
      "Path of the dump inside the storage (relative to the volume path or the bucket prefix),"
          + " for example `openmetadata-20261125T0100Z.sql.gz`. Its manifest must be beside it.")
  public String path;
}
