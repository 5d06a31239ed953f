package io.metadataops.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.k8s.EventRecorder;
import java.time.Clock;

/**
 * What every controller works with: the API client, the event recorder, the operator's settings and
 * the clock (a test's clock in tests, so timeouts can be walked through without waiting).
 */
public record ControllerSupport(
    KubernetesClient client, EventRecorder events, OperatorSettings settings, Clock clock) {}
