package io.metadataops.testing;

/**
 * The labels and annotation the local cluster's KWOK stages act on (hack/cluster/README.md): they
 * let a test decide how a Job pod ends and what its container reports.
 */
public final class Simulation {

  public static final String OUTCOME = "sim.metadataops.io/outcome";
  public static final String FAIL = "fail";
  public static final String HANG = "hang";
  public static final String TERMINATION_MESSAGE = "sim.metadataops.io/termination-message";

  private Simulation() {}
}
