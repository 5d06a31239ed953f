package io.metadataops.upgrade;

import java.util.Objects;
import java.util.Optional;

/**
 * The database server as the inspect Job found it, through the server's own settings.
 *
 * @param engine {@code mysql}, {@code mariadb} or {@code postgresql}
 * @param version as the server reports it, e.g. {@code 8.0.31} or {@code 15.10 (Debian ...)}
 * @param sortBufferSize the session's {@code sort_buffer_size} in bytes (MySQL, MariaDB)
 * @param location where it is, without credentials: {@code mysql://host:3306/openmetadata_db}
 */
public record DatabaseServer(
    String engine, String version, Optional<Long> sortBufferSize, Optional<String> location) {

  public DatabaseServer {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(sortBufferSize, "sortBufferSize");
    Objects.requireNonNull(location, "location");
  }
}
