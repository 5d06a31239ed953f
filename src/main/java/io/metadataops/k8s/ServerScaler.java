package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Scales the OpenMetadata server and tells when its pods are really gone: nothing may touch the
 * database while a server still runs against it.
 */
public class ServerScaler {

  private final KubernetesClient client;

  public ServerScaler(KubernetesClient client) {
    this.client = client;
  }

  public void scale(String namespace, String deployment, int replicas) {
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(deployment)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"replicas\":%d}}".formatted(replicas));
  }

  /** Pods of the Deployment that still exist, terminating ones included. */
  public int remainingPods(Deployment deployment) {
    var selector = deployment.getSpec().getSelector().getMatchLabels();
    return client
        .pods()
        .inNamespace(deployment.getMetadata().getNamespace())
        .withLabels(selector)
        .list()
        .getItems()
        .size();
  }
}
