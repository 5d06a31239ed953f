package io.metadataops.backup.common;

import java.util.Locale;

/** The two database schemes OpenMetadata supports ({@code DB_SCHEME}). */
public enum DbScheme {
  MYSQL(3306),
  POSTGRESQL(5432);

  private final int defaultPort;

  DbScheme(int defaultPort) {
    this.defaultPort = defaultPort;
  }

  public int defaultPort() {
    return defaultPort;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DbScheme parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "mysql", "mariadb" -> MYSQL;
      case "postgresql", "postgres" -> POSTGRESQL;
      default ->
          throw new EngineException(
              ErrorCode.USAGE,
              "unknown database scheme '" + value + "': use --db-scheme mysql|postgresql");
    };
  }
}
