package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.metadataops.upgrade.ImageReference;
import io.metadataops.upgrade.ServerGate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The parameters of the admission policy {@value #POLICY} (deploy/operator) for one server
 * Deployment: its pods (by the Deployment's selector; Job pods excluded) may start only with the
 * allowed image of the server's repository, or not at all. One per Deployment, owned by it: the
 * gate outlives the upgrade that set it and is replaced by the next one.
 */
public final class ServerGateConfigMap {

  public static final String POLICY = "metadataops-server-image-gate";

  /** The policy binding selects its parameters by this label. */
  public static final String LABEL = "metadataops.io/server-image-gate";

  /** How the policy's refusals begin (its messageExpression), in the events and conditions. */
  public static final String REFUSAL = "metadataops server image gate: ";

  /** The {@code from->to} pair whose migration failed on this server. */
  public static final String FAILED_UPGRADE = "failedUpgrade";

  private ServerGateConfigMap() {}

  public static String name(String deployment) {
    return KubernetesNames.child(deployment, "server-gate");
  }

  public static ConfigMap build(Deployment server, String serverImage, ServerGate gate) {
    String name = name(server.getMetadata().getName());
    Map<String, String> data = new LinkedHashMap<>();
    data.put("selector", selector(server.getSpec().getSelector().getMatchLabels()));
    data.put("repository", ImageReference.parse(serverImage).name());
    data.put("image", gate.allowedImage().orElse(""));
    gate.failedUpgrade().ifPresent(pair -> data.put(FAILED_UPGRADE, pair));
    data.put(
        "message",
        gate.reason()
            + " (ConfigMap "
            + name
            + " of the metadata operator; deleting it lifts this).");
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(server.getMetadata().getNamespace())
        .addToLabels(LABEL, "true")
        .addToLabels(EngineJob.LABEL_MANAGED_BY, EngineJob.NAME)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(server.getMetadata().getName())
                .withUid(server.getMetadata().getUid())
                .build())
        .endMetadata()
        .withData(data)
        .build();
  }

  /** {@code key=value,...}: label values cannot hold {@code ,} or {@code =}. */
  private static String selector(Map<String, String> matchLabels) {
    return matchLabels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
