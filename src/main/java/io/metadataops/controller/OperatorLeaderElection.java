package io.metadataops.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Lets several operator replicas run with one active at a time, through a Lease in the operator's
 * namespace (OPERATOR_NAMESPACE in the Deployment; outside a cluster, the kubeconfig's namespace).
 * Only in the prod profile; the tests run a single instance.
 */
@Singleton
public class OperatorLeaderElection extends LeaderElectionConfiguration {

  public static final String LEASE = "metadata-operator-leader";

  public OperatorLeaderElection(KubernetesClient client) {
    super(
        LEASE,
        Optional.ofNullable(System.getenv("OPERATOR_NAMESPACE"))
            .or(() -> Optional.ofNullable(client.getNamespace()))
            .orElse("default"));
  }
}
