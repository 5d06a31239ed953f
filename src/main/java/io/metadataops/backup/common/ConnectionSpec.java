package io.metadataops.backup.common;

import java.util.Objects;

/**
 * Where and how to connect. {@code params} are extra JDBC parameters ({@code DB_PARAMS}, e.g.
 * {@code allowPublicKeyRetrieval=true&useSSL=false}); {@code schema} only matters for PostgreSQL;
 * {@code database} is null for a connection to the server only (creating/dropping databases).
 * {@link #toString()} never shows the password.
 */
public record ConnectionSpec(
    DbScheme scheme,
    String host,
    int port,
    String user,
    String password,
    String database,
    String schema,
    String params) {

  public ConnectionSpec {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    schema = schema == null || schema.isBlank() ? "public" : schema;
    params = params == null ? "" : params;
  }

  public static ConnectionSpec of(
      DbScheme scheme, String host, int port, String user, String password, String database) {
    return new ConnectionSpec(scheme, host, port, user, password, database, null, null);
  }

  /** The same server and credentials, another database. */
  public ConnectionSpec withDatabase(String otherDatabase) {
    return new ConnectionSpec(scheme, host, port, user, password, otherDatabase, schema, params);
  }

  public ConnectionSpec withSchema(String otherSchema) {
    return new ConnectionSpec(scheme, host, port, user, password, database, otherSchema, params);
  }

  public ConnectionSpec withPassword(String otherPassword) {
    return new ConnectionSpec(scheme, host, port, user, otherPassword, database, schema, params);
  }

  public ConnectionSpec withHostPort(String otherHost, int otherPort) {
    return new ConnectionSpec(
        scheme, otherHost, otherPort, user, password, database, schema, params);
  }

  /** Where the database is, for status and events: {@code mysql://host:3306/openmetadata_db}. */
  public String display() {
    return scheme.id() + "://" + endpoint() + "/" + (database == null ? "" : database);
  }

  public String endpoint() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return scheme.id() + "://" + user + "@" + endpoint() + "/" + database;
  }
}
