package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The database engines OpenMetadata runs on; values match its DB_SCHEME setting. */
public enum DatabaseType {
  @JsonProperty("mysql")
  MYSQL("mysql", 3306),
  @JsonProperty("postgresql")
  POSTGRESQL("postgresql", 5432);

  private final String scheme;
  private final int defaultPort;

  DatabaseType(String scheme, int defaultPort) {
    this.scheme = scheme;
    this.defaultPort = defaultPort;
  }

  public String scheme() {
    return scheme;
  }

  public int defaultPort() {
    return defaultPort;
  }
}
