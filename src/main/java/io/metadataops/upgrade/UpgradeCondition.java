package io.metadataops.upgrade;

import java.util.Objects;

/**
 * A status condition as Kubernetes conventions define it; the controller adds {@code
 * lastTransitionTime} (kept while the status does not change) and {@code observedGeneration}.
 *
 * @param reason UpperCamelCase
 */
public record UpgradeCondition(String type, Status status, String reason, String message) {

  public enum Status {
    TRUE("True"),
    FALSE("False"),
    UNKNOWN("Unknown");

    private final String value;

    Status(String value) {
      this.value = value;
    }

    /** The value of the condition's {@code status} field. */
    public String value() {
      return value;
    }
  }

  public UpgradeCondition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
