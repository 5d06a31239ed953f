package io.metadataops.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
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
 *
 * <p>A replica that loses the Lease exits, so two replicas never reconcile at once. It exits from a
 * thread of its own: the SDK's built-in exit runs inside the shutdown that SIGTERM starts, where
 * {@code System.exit} blocks forever, and a pod being stopped would hang until it is killed.
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
        new LeaderCallbacks(() -> {}, OperatorLeaderElection::exitOnLostLease, leader -> {}),
        false);
  }

  private static void exitOnLostLease() {
    // During a shutdown this thread just blocks until the JVM halts.
    new Thread(() -> System.exit(1), "exit-on-lost-lease").start();
  }
}
