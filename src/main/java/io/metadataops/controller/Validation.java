package io.metadataops.controller;

import io.metadataops.api.shared.ConditionedStatus;
import java.time.Clock;
import java.util.Optional;

/** Writes the outcome of validating a resource into its status, the same way for every kind. */
final class Validation {

  static final String REASON_VALID = "Validated";

  private Validation() {}

  /**
   * Records a problem as Stalled (kstatus: progress is impossible until the spec or the cluster
   * changes) and not Ready; records no problem as not stalled.
   */
  static void record(
      ConditionedStatus status, long generation, Optional<Problem> problem, Clock clock) {
    status.observedGeneration = generation;
    if (problem.isPresent()) {
      Problem p = problem.get();
      Conditions.set(
          status, generation, Conditions.STALLED, Conditions.TRUE, p.reason(), p.message(), clock);
      Conditions.set(
          status, generation, Conditions.READY, Conditions.FALSE, p.reason(), p.message(), clock);
      status.message = p.message();
    } else {
      Conditions.set(
          status,
          generation,
          Conditions.STALLED,
          Conditions.FALSE,
          REASON_VALID,
          "references resolved",
          clock);
    }
  }
}
