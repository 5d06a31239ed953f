package io.metadataops.e2e;

/**
 * The two database engines OpenMetadata runs on, as the end-to-end tests deploy them: MySQL 8 (what
 * most installations use) and PostgreSQL, each an in-cluster Deployment behind a Service.
 */
public enum DatabaseKind {
  MYSQL(
      "mysql",
      "mysql:8.0",
      3306,
      "com.mysql.cj.jdbc.Driver",
      "allowPublicKeyRetrieval=true&useSSL=false",
      "mysql"),
  POSTGRESQL("postgresql", "postgres:15", 5432, "org.postgresql.Driver", "", "postgres");

  private final String scheme;
  private final String image;
  private final int port;
  private final String driverClass;
  private final String params;
  private final String adminDatabase;

  DatabaseKind(
      String scheme,
      String image,
      int port,
      String driverClass,
      String params,
      String adminDatabase) {
    this.scheme = scheme;
    this.image = image;
    this.port = port;
    this.driverClass = driverClass;
    this.params = params;
    this.adminDatabase = adminDatabase;
  }

  /** OpenMetadata's DB_SCHEME, also the name of the Service and Deployment of the server. */
  public String scheme() {
    return scheme;
  }

  /** The image of the in-cluster server. */
  public String image() {
    return image;
  }

  /** The port the server listens on in its pod. */
  public int port() {
    return port;
  }

  /** OpenMetadata's DB_DRIVER_CLASS. */
  public String driverClass() {
    return driverClass;
  }

  /** OpenMetadata's DB_PARAMS (the Helm chart's defaults). */
  public String params() {
    return params;
  }

  /** A database that always exists, to connect to before the test's own is created. */
  public String adminDatabase() {
    return adminDatabase;
  }
}
