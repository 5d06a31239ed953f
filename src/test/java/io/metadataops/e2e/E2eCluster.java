package io.metadataops.e2e;

import io.metadataops.testing.ClusterNamespace;
import java.time.Duration;
import java.util.Optional;

/**
 * What the end-to-end scenarios need from a cluster, and all that differs between the two
 * providers: the local control plane with KWOK ({@link KwokProvider}: the operator in-process, Job
 * pods run on this machine, databases on 127.0.0.1) and k3s in a container ({@link K3sProvider}:
 * the operator image deployed from deploy/operator, every pod real). Everything else (manifests,
 * images, steps, checks) is shared.
 */
public interface E2eCluster extends AutoCloseable {

  /** For messages: which provider this is. */
  String name();

  /** The namespace the scenarios run in, with the CRDs installed and the operator watching it. */
  ClusterNamespace namespace();

  /** Where the pods (the server, its Jobs) reach the database server of {@code kind}. */
  DatabaseAddress databaseForPods(DatabaseKind kind);

  /** Where this test JVM reaches the same server, to create, seed and check databases. */
  DatabaseAddress databaseForTests(DatabaseKind kind);

  /** The URL for spec.verification.url of an upgrade of {@code deployment}; null: the default. */
  String verificationUrl(String deployment);

  /** What the version endpoint of {@code deployment} reports now; empty unless it answers 200. */
  Optional<String> reportedVersion(String deployment);

  /**
   * Where this test JVM reaches the API of the server {@code deployment} ({@code http://host:8585})
   * to write through it; empty where the server's pods are simulated and nothing would answer.
   */
  default Optional<String> apiUrl(String deployment) {
    return Optional.empty();
  }

  /** How long a scenario step may take here. */
  Duration timeout();

  @Override
  void close();
}
