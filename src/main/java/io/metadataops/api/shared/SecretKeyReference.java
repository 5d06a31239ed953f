package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * Points at one key of a Secret. The operator only copies this reference into Job env; it never
 * reads the value.
 */
public class SecretKeyReference {

  @Required
  @JsonPropertyDescription("Name of the Secret, in the namespace of this resource.")
  public String name;

  @Required
  @JsonPropertyDescription("Key inside the Secret.")
  public String key;

  public SecretKeyReference() {}

  public SecretKeyReference(String name, String key) {
    this.name = name;
    this.key = key;
  }
}
