package io.metadataops.testing;

import java.util.Map;

/**
 * The labels and annotation the local cluster's KWOK stages act on (hack/cluster/README.md): they
 * let a test decide how a Job pod ends and what its container reports.
 */
public final class Simulation {

  public static final String OUTCOME = "sim.metadataops.io/outcome";
  public static final String FAIL = "fail";
  public static final String HANG = "hang";
  public static final String TERMINATION_MESSAGE = "sim.metadataops.io/termination-message";

  /**
   * Used instead of {@link #TERMINATION_MESSAGE} by the pods of an upgrade's migration check: the
   * change log after the migration, where the validation's inspection read it before.
   */
  public static final String MIGRATION_CHECK_MESSAGE = "sim.metadataops.io/migration-check-message";

  /**
   * The engine's summary of an inspection of a database whose change log records {@code version}.
   */
  public static String inspected(String version) {
    return "{\"command\":\"inspect\",\"status\":\"Succeeded\",\"schemaVersion\":\""
        + version
        + "\",\"tables\":42,\"rows\":1000}";
  }

  /**
   * Pod annotations for an upgrade's engine Jobs: the validation's inspection reports {@code
   * before}, the migration check {@code after}.
   */
  public static Map<String, String> inspections(String before, String after) {
    return Map.of(TERMINATION_MESSAGE, before, MIGRATION_CHECK_MESSAGE, after);
  }

  private Simulation() {}
}
