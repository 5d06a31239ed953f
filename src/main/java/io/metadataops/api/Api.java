package io.metadataops.api;

/** The API group and version of every custom resource of this operator. */
public final class Api {

  public static final String GROUP = "metadataops.io";
  public static final String VERSION = "v1alpha1";

  private Api() {}
}
