package io.metadataops.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.metadataops.api.shared.ConditionedStatus;
import io.metadataops.conditions.ConditionStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Writes Kubernetes-style conditions. The transition time moves only when the status flips, as
 * metav1.Condition requires, so that `kubectl wait` and dashboards see real transitions.
 */
public final class Conditions {

  private Conditions() {}

  public static void set(
      ConditionedStatus status,
      long generation,
      String type,
      ConditionStatus value,
      String reason,
      String message,
      Clock clock) {
    Optional<Condition> existing = find(status, type);
    String transitionTime =
        existing
            .filter(condition -> value.value().equals(condition.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> now(clock));
    existing.ifPresent(status.conditions::remove);
    status.conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(value.value())
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transitionTime)
            .build());
  }

  /** Writes several conditions of one status for one generation. */
  public static Writer writer(ConditionedStatus status, long generation, Clock clock) {
    return new Writer(status, generation, clock);
  }

  /** Binds a status, a generation and a clock, so call sites name only what differs. */
  public record Writer(ConditionedStatus status, long generation, Clock clock) {

    public Writer set(String type, ConditionStatus value, String reason, String message) {
      Conditions.set(status, generation, type, value, reason, message, clock);
      return this;
    }
  }

  public static Optional<Condition> find(ConditionedStatus status, String type) {
    return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(ConditionedStatus status, String type) {
    return find(status, type)
        .map(c -> ConditionStatus.TRUE.value().equals(c.getStatus()))
        .orElse(false);
  }

  public static String now(Clock clock) {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
