package io.metadataops.controller;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Lets several operator replicas run with one active at a time (a Lease in the operator's
 * namespace). Only in the prod profile: `make run` and the tests run a single instance.
 */
@Singleton
public class OperatorLeaderElection extends LeaderElectionConfiguration {

  public static final String LEASE = "metadata-operator-leader";

  public OperatorLeaderElection() {
    super(LEASE, System.getenv("OPERATOR_NAMESPACE"));
  }
}
