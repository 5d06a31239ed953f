package io.metadataops.upgrade;

import io.metadataops.conditions.ConditionStatus;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A status condition as Kubernetes conventions define it; the controller adds {@code
 * lastTransitionTime} (kept while the status does not change) and {@code observedGeneration}.
 *
 * @param reason UpperCamelCase, as metav1.Condition validates it
 */
public record UpgradeCondition(String type, ConditionStatus status, String reason, String message) {

  /** metav1.Condition's pattern for {@code reason}. */
  private static final Pattern REASON = Pattern.compile("[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?");

  public UpgradeCondition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    if (reason == null || !REASON.matcher(reason).matches()) {
      throw new IllegalArgumentException(
          "condition " + type + ": reason '" + reason + "' is not UpperCamelCase");
    }
  }
}
