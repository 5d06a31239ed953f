package io.metadataops.controller;

import static io.metadataops.conditions.ConditionStatus.TRUE;
import static io.metadataops.conditions.ConditionTypes.RECONCILING;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.metadataops.api.shared.ConditionedStatus;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Writes a status only when it changed, as the best operators do: a reconciliation that finds
 * nothing new (a periodic recheck, an event of a child that changed nothing) costs no API write and
 * no new resourceVersion, so it wakes no watcher.
 */
public final class StatusUpdates {

  static final String REASON_RECONCILE_ERROR = "ReconcileError";
  private static final int MAX_ERROR_MESSAGE = 512;

  private StatusUpdates() {}

  /**
   * Starts a reconciliation: remembers what the status reads now, to compare with at the end, and
   * gives a resource without a status an empty one to fill in.
   */
  public static <S, P extends CustomResource<?, S>> String begin(
      P resource, Supplier<S> newStatus) {
    String before = snapshot(resource);
    if (resource.getStatus() == null) {
      resource.setStatus(newStatus.get());
    }
    return before;
  }

  /** What the status reads now, to compare with at the end of the reconciliation. */
  public static String snapshot(CustomResource<?, ?> resource) {
    return Serialization.asJson(resource.getStatus());
  }

  /** Patches the status if it differs from {@code before}; otherwise writes nothing. */
  public static <P extends CustomResource<?, ?>> UpdateControl<P> patchIfChanged(
      P resource, String before) {
    return snapshot(resource).equals(before)
        ? UpdateControl.noUpdate()
        : UpdateControl.patchStatus(resource);
  }

  /**
   * Records a failed reconciliation (the SDK retries it) as Reconciling with reason ReconcileError,
   * so `kubectl describe` tells why nothing moves. The phase stays: the error says nothing about
   * how far the work got.
   */
  public static <S extends ConditionedStatus, P extends CustomResource<?, S>>
      ErrorStatusUpdateControl<P> recordError(
          P resource, Supplier<S> newStatus, Exception error, Clock clock) {
    String before = snapshot(resource);
    if (resource.getStatus() == null) {
      resource.setStatus(newStatus.get());
    }
    long generation = resource.getMetadata().getGeneration();
    Conditions.set(
        resource.getStatus(),
        generation,
        RECONCILING,
        TRUE,
        REASON_RECONCILE_ERROR,
        "reconciliation failed, retrying: " + describe(error),
        clock);
    return snapshot(resource).equals(before)
        ? ErrorStatusUpdateControl.noStatusUpdate()
        : ErrorStatusUpdateControl.patchStatus(resource);
  }

  static String describe(Exception error) {
    String text = error.getClass().getSimpleName() + ": " + error.getMessage();
    return text.length() <= MAX_ERROR_MESSAGE ? text : text.substring(0, MAX_ERROR_MESSAGE) + "...";
  }
}
