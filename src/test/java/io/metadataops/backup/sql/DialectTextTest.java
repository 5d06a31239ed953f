package io.metadataops.backup.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.DbScheme;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What both dialects write the same way: the dump's header and the change-log query. */
@Tag("unit")
class DialectTextTest {

  private static String header(Dialect dialect, ServerInfo server, ConnectionSpec spec)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    dialect.writeHeader(new DumpSink(bytes), server, spec);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void mysqlHeaderIsTheOneDumpsHaveAlwaysStartedWith() throws Exception {
    ConnectionSpec spec =
        ConnectionSpec.of(DbScheme.MYSQL, "db", 3306, "u", "pw", "openmetadata_db");
    assertThat(header(new MySqlDialect(), new ServerInfo("mysql", "8.0.31"), spec))
        .isEqualTo(
            "-- metadataops backup engine dump of database openmetadata_db (mysql 8.0.31)\n"
                + "-- Restore: mysql --default-character-set=utf8mb4 <database> < dump.sql\n"
                + "SET NAMES utf8mb4;\n"
                + "SET time_zone = '+00:00';\n"
                + "SET foreign_key_checks = 0;\n"
                + "SET unique_checks = 0;\n"
                + "SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION';\n"
                + "\n");
  }

  @Test
  void postgresHeaderIsTheOneDumpsHaveAlwaysStartedWith() throws Exception {
    ConnectionSpec spec =
        ConnectionSpec.of(DbScheme.POSTGRESQL, "db", 5432, "u", "pw", "openmetadata_db")
            .withSchema("om");
    assertThat(header(new PostgresDialect(), new ServerInfo("postgresql", "15.8"), spec))
        .isEqualTo(
            "-- metadataops backup engine dump of schema om in database openmetadata_db"
                + " (PostgreSQL 15.8)\n"
                + "-- Restore: psql -v ON_ERROR_STOP=1 -d <database> -f dump.sql (into the schema"
                + " first in search_path, e.g. PGOPTIONS='-c search_path=x')\n"
                + "SET client_encoding = 'UTF8';\n"
                + "SET standard_conforming_strings = on;\n"
                + "SET TimeZone = 'UTC';\n"
                + "SET DateStyle = 'ISO, YMD';\n"
                + "SET IntervalStyle = 'postgres';\n"
                + "SET check_function_bodies = false;\n"
                + "SET client_min_messages = warning;\n"
                + "\n");
  }

  @Test
  void everySettingOfThePostgresHeaderIsASessionStatementOnRestore() throws Exception {
    ConnectionSpec spec =
        ConnectionSpec.of(DbScheme.POSTGRESQL, "db", 5432, "u", "pw", "openmetadata_db");
    PostgresDialect dialect = new PostgresDialect();
    for (String line : header(dialect, new ServerInfo("postgresql", "15"), spec).split("\n")) {
      if (line.startsWith("SET ")) {
        assertThat(dialect.classify(line.substring(0, line.length() - 1)))
            .as(line)
            .isEqualTo(StatementKind.SESSION);
      }
    }
  }

  @Test
  void anOversizedValueIsGatheredOnTheConnectionThatStoresItNotOnEveryConnection() {
    MySqlDialect dialect = new MySqlDialect();
    // The chunks of a value and the UPDATE that stores it run in order on one connection; a
    // session statement would run on every worker connection, three copies of each chunk.
    assertThat(dialect.classify("SET " + MySqlDialect.CHUNK_VARIABLE + " = X'00'"))
        .isEqualTo(StatementKind.SERIAL);
    assertThat(
            dialect.classify(
                "SET "
                    + MySqlDialect.CHUNK_VARIABLE
                    + " = CONCAT("
                    + MySqlDialect.CHUNK_VARIABLE
                    + ", 'x')"))
        .isEqualTo(StatementKind.SERIAL);
    assertThat(dialect.classify("UPDATE `t` SET `v` = " + MySqlDialect.CHUNK_VARIABLE))
        .isEqualTo(StatementKind.SERIAL);
    assertThat(dialect.classify("SET foreign_key_checks = 0")).isEqualTo(StatementKind.SESSION);
  }

  private static TableInfo changeLog(String version, String... more) {
    List<ColumnInfo> columns =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(version), java.util.stream.Stream.of(more))
            .map(name -> new ColumnInfo(name, "varchar", false))
            .toList();
    return new TableInfo("SERVER_CHANGE_LOG", 1, columns, List.of(), 2, 100);
  }

  @Test
  void changeLogQueriesReadVersionAndStatusAsText() {
    Dialect mysql = new MySqlDialect();
    Dialect postgres = new PostgresDialect();
    String mysqlWithStatus = mysql.changeLogQuery(changeLog("version", "status"), true);
    String mysqlWithout = mysql.changeLogQuery(changeLog("version"), false);
    assertThat(mysqlWithStatus.replace("`", ""))
        .isEqualTo("SELECT version, COALESCE(status, '') FROM SERVER_CHANGE_LOG");
    assertThat(mysqlWithout.replace("`", ""))
        .isEqualTo("SELECT version, NULL FROM SERVER_CHANGE_LOG");
    assertThat(postgres.changeLogQuery(changeLog("Version", "STATUS"), true))
        .isEqualTo(
            "SELECT \"Version\"::text, COALESCE(\"STATUS\"::text, '') FROM \"SERVER_CHANGE_LOG\"");
    assertThat(postgres.changeLogQuery(changeLog("version"), false))
        .isEqualTo("SELECT \"version\"::text, NULL FROM \"SERVER_CHANGE_LOG\"");
  }
}
