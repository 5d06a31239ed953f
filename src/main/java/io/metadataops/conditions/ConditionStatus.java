package io.metadataops.conditions;

/** The {@code status} of a Kubernetes condition. */
public enum ConditionStatus {
  TRUE("True"),
  FALSE("False"),
  UNKNOWN("Unknown");

  private final String value;

  ConditionStatus(String value) {
    this.value = value;
  }

  public static ConditionStatus of(boolean isTrue) {
    return isTrue ? TRUE : FALSE;
  }

  /** The value of the condition's {@code status} field. */
  public String value() {
    return value;
  }
}
