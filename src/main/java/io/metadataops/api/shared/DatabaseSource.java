package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the database is: read from the server Deployment, or given explicitly. */
@ValidationRule(
    value = "has(self.server) != has(self.database)",
    message =
        "set exactly one of server (the OpenMetadata Deployment whose DB_* env is used) or"
            + " database (an explicit connection)")
public class DatabaseSource {

  @JsonPropertyDescription(
      "Use the database settings of this OpenMetadata server Deployment, exactly as its pod sees"
          + " them.")
  public ServerReference server;

  @JsonPropertyDescription("An explicit connection.")
  public DatabaseConnection database;

  public static DatabaseSource ofServer(String deploymentName) {
    DatabaseSource source = new DatabaseSource();
    source.server = new ServerReference(deploymentName);
    return source;
  }
}
