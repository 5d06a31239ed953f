package io.metadataops.backup.sql;

/** {@code engine} is mysql, mariadb or postgresql; {@code version} as the server reports it. */
public record ServerInfo(String engine, String version) {}
