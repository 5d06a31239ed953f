package io.metadataops.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Lets several operator replicas run with one active at a time, through a Lease in the operator's
 * namespace (OPERATOR_NAMESPACE in the Deployment; outside a cluster, the kubeconfig's namespace).
 * The Lease names the leading pod (POD_NAME), so `kubectl get lease` tells who works. Only in the
 * prod profile; the tests run a single instance.
 */
@Singleton
public class OperatorLeaderElection extends LeaderElectionConfiguration {

  public static final String LEASE = "metadata-operator-leader";

  public OperatorLeaderElection(KubernetesClient client) {
    super(
        LEASE,
        Optional.ofNullable(System.getenv("OPERATOR_NAMESPACE"))
            .or(() -> Optional.ofNullable(client.getNamespace()))
            .orElse("default"),
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Optional.ofNullable(System.getenv("POD_NAME"))
            .orElseGet(() -> UUID.randomUUID().toString()),
        null,
        true);
  }
}
