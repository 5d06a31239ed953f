package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/** The single migration Job run with the target image. */
public class MigrationSpec {

  @JsonPropertyDescription(
      "Command overriding the default one (`./bootstrap/bootstrap_storage.sh migrate-all` up to"
          + " 1.2, `./bootstrap/openmetadata-ops.sh migrate` from 1.3). `--force` is never added"
          + " by default.")
  public List<String> command;

  @Min(60)
  @Default("3600")
  @JsonPropertyDescription("Time limit of the migration, in seconds. Default: 3600.")
  public long timeoutSeconds = 3600;

  @JsonPropertyDescription("CPU and memory of the migration container. Default: the server's.")
  public ResourceRequirements resources;

  @JsonPropertyDescription(
      "Extra labels of the migration pod (for example to opt out of a service mesh, whose"
          + " sidecar would keep the Job from completing).")
  public Map<String, String> podLabels;

  @JsonPropertyDescription(
      "Extra annotations of the migration pod (for example `sidecar.istio.io/inject:"
          + " \"false\"`).")
  public Map<String, String> podAnnotations;
}
