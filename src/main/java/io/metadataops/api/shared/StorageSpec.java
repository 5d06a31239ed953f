package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where dumps are stored. */
@ValidationRule(
    value = "has(self.persistentVolumeClaim) != has(self.s3)",
    message = "set exactly one storage target: persistentVolumeClaim or s3")
public class StorageSpec {

  @JsonPropertyDescription("Store the dump on a PersistentVolumeClaim.")
  public PersistentVolumeClaimStorage persistentVolumeClaim;

  @JsonPropertyDescription("Store the dump in an S3-compatible bucket.")
  public S3Storage s3;
}
