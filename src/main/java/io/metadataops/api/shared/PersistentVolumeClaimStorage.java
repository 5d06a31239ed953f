package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A PersistentVolumeClaim mounted into the Job. */
public class PersistentVolumeClaimStorage {

  @Required
  @Pattern(Names.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the PersistentVolumeClaim in this namespace.")
  public String claimName;

  @Default("")
  @ValidationRule(
      value = "!self.startsWith('/') && !self.contains('..')",
      message = "path is relative to the volume root: no leading '/' and no '..'")
  @JsonPropertyDescription("Directory inside the volume. Default: the volume root.")
  public String path = "";
}
