package io.metadataops.upgrade;

import java.util.Optional;

/**
 * What the server of a minor line needs of the platform around it (the requirements matrix of the
 * upgrade guide), as far as the operator can check it: the oldest supported database and search
 * engine versions and MySQL's smallest sort buffer. Empty where nothing is required.
 */
public record Requirements(
    Optional<String> mysql,
    Optional<String> postgresql,
    Optional<String> elasticsearch,
    Optional<String> opensearch,
    Optional<Long> mysqlSortBufferBytes) {

  public static final Requirements NONE =
      new Requirements(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** These requirements, each replaced by {@code later}'s where it says something. */
  Requirements overriddenBy(Requirements later) {
    return new Requirements(
        later.mysql.or(() -> mysql),
        later.postgresql.or(() -> postgresql),
        later.elasticsearch.or(() -> elasticsearch),
        later.opensearch.or(() -> opensearch),
        later.mysqlSortBufferBytes.or(() -> mysqlSortBufferBytes));
  }
}
