package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Records Kubernetes events on custom resources: one per transition, visible in describe. */
public class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    String now = Instant.now(clock).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                object.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().substring(0, 13))
            .withNamespace(object.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withName(object.getMetadata().getName())
                    .withNamespace(object.getMetadata().getNamespace())
                    .withUid(object.getMetadata().getUid())
                    .withResourceVersion(object.getMetadata().getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(EngineJob.NAME)
            .endSource()
            .withReportingComponent(EngineJob.NAME)
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(object.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: losing one must never fail a reconciliation.
      LOG.debugf(
          "could not record event %s on %s: %s",
          reason, object.getMetadata().getName(), e.getMessage());
    }
    LOG.infof(
        "%s %s/%s %s: %s",
        object.getKind(),
        object.getMetadata().getNamespace(),
        object.getMetadata().getName(),
        reason,
        message);
  }
}
