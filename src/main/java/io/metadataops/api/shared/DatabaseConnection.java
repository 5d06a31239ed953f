package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** An explicit database connection, for databases not described by a server Deployment. */
@ValidationRule(
    value = "!has(self.schema) || self.type == 'postgresql'",
    message = "schema applies to PostgreSQL only: remove it or set type: postgresql")
public class DatabaseConnection {

  @Required
  @JsonPropertyDescription("Database engine: `mysql` (MySQL 8, MariaDB 10.11+) or `postgresql`.")
  public DatabaseType type;

  @Required
  @JsonPropertyDescription("Host name or IP address of the database server.")
  public String host;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port. Default: 3306 for mysql, 5432 for postgresql.")
  public Integer port;

  @Required
  @JsonPropertyDescription(
      "Database name (OpenMetadata's OM_DATABASE, `openmetadata_db` by default).")
  public String name;

  @JsonPropertyDescription("PostgreSQL schema holding the tables. Default: `public`.")
  public String schema;

  @Required
  @JsonPropertyDescription("User name.")
  public String user;

  @Required
  @JsonPropertyDescription(
      "Secret key holding the password. It reaches the Job as an env reference and is never"
          + " read by the operator.")
  public SecretKeyReference passwordSecretRef;

  @JsonPropertyDescription(
      "Extra JDBC parameters, as OpenMetadata's DB_PARAMS (for example"
          + " `allowPublicKeyRetrieval=true&useSSL=false`).")
  public String params;
}
