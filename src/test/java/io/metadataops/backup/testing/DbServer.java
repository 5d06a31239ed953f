package io.metadataops.backup.testing;

import io.metadataops.backup.common.DbScheme;

/** The servers hack/db/up.sh starts on 127.0.0.1 (ports overridable like the script's). */
public enum DbServer {
  MARIADB(DbScheme.MYSQL, env("METADATAOPS_MARIADB_PORT", 3306)),
  MYSQL8(DbScheme.MYSQL, env("METADATAOPS_MYSQL8_PORT", 3307)),
  POSTGRES(DbScheme.POSTGRESQL, env("METADATAOPS_POSTGRES_PORT", 5432));

  public static final String USER = "metadataops";
  public static final String PASSWORD = "metadataops-test-pw";

  private final DbScheme scheme;
  private final int port;

  DbServer(DbScheme scheme, int port) {
    this.scheme = scheme;
    this.port = port;
  }

  public DbScheme scheme() {
    return scheme;
  }

  public int port() {
    return port;
  }

  public boolean isMysqlFamily() {
    return scheme == DbScheme.MYSQL;
  }

  private static int env(String name, int fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : Integer.parseInt(value);
  }
}
