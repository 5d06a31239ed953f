package io.metadataops.conditions;

/**
 * The condition types every kind of this operator sets, so that one {@code kubectl wait} and one
 * dashboard query serve them all: Ready, Reconciling and Stalled as kstatus defines them, Succeeded
 * and Failed for a run that ends. Kinds add types of their own next to these.
 */
public final class ConditionTypes {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  private ConditionTypes() {}
}
