package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What every status carries: the generation it describes and kstatus-style conditions. */
public abstract class ConditionedStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Conditions (Kubernetes metav1.Condition): Ready, Reconciling, Stalled and kind-specific"
          + " ones such as Succeeded and Failed.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Human-readable summary of the current state.")
  public String message;
}
