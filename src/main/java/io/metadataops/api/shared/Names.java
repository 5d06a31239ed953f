package io.metadataops.api.shared;

/** Patterns shared by the API types, so every name field is validated the same way. */
public final class Names {

  /** A Kubernetes object name (RFC 1123 subdomain). */
  public static final String DNS_1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** An OpenMetadata release such as 1.5.2 (an optional leading v is tolerated). */
  public static final String RELEASE_VERSION = "^v?[0-9]+\\.[0-9]+\\.[0-9]+$";

  private Names() {}
}
