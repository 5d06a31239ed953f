package io.metadataops.controller.jobs;

import static io.metadataops.conditions.ConditionStatus.FALSE;
import static io.metadataops.conditions.ConditionStatus.TRUE;
import static io.metadataops.conditions.ConditionTypes.READY;
import static io.metadataops.conditions.ConditionTypes.STALLED;

import io.metadataops.api.shared.ConditionedStatus;
import io.metadataops.controller.Conditions;
import io.metadataops.controller.Problem;
import java.time.Clock;
import java.util.Optional;

/** Writes the outcome of validating a resource into its status, the same way for every kind. */
public final class Validation {

  public static final String REASON_VALID = "Validated";

  private Validation() {}

  /**
   * Records a problem as Stalled (kstatus: no progress until the spec or the cluster changes) and
   * not Ready; records no problem as not stalled.
   */
  public static void record(
      ConditionedStatus status, long generation, Optional<Problem> problem, Clock clock) {
    status.observedGeneration = generation;
    Conditions.Writer conditions = Conditions.writer(status, generation, clock);
    if (problem.isPresent()) {
      Problem p = problem.get();
      conditions
          .set(STALLED, TRUE, p.reason(), p.message())
          .set(READY, FALSE, p.reason(), p.message());
      status.message = p.message();
    } else {
      conditions.set(STALLED, FALSE, REASON_VALID, "references resolved");
    }
  }
}
