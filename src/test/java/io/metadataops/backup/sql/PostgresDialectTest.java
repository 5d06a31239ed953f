package io.metadataops.backup.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PostgresDialectTest {

  private final PostgresDialect dialect = new PostgresDialect();

  @Test
  void indexDefinitionsLoseTheSchemaOfTheirTable() {
    assertThat(
            PostgresDialect.unqualifiedIndexDefinition(
                "CREATE INDEX t_name_idx ON public.t USING btree (name)"))
        .isEqualTo("CREATE INDEX t_name_idx ON t USING btree (name)");
    assertThat(
            PostgresDialect.unqualifiedIndexDefinition(
                "CREATE UNIQUE INDEX \"Odd ON idx\" ON ONLY \"My.Schema\".\"Tab.le\" USING btree"
                    + " (a)"))
        .isEqualTo("CREATE UNIQUE INDEX \"Odd ON idx\" ON ONLY \"Tab.le\" USING btree (a)");
    String unqualified = "CREATE INDEX i ON \"t\" USING btree (a)";
    assertThat(PostgresDialect.unqualifiedIndexDefinition(unqualified)).isEqualTo(unqualified);
  }

  @Test
  void onlyStatementsThisEngineWritesAreExecuted() throws Exception {
    assertThat(dialect.classify("SET TimeZone = 'UTC'")).isEqualTo(StatementKind.SESSION);
    assertThat(dialect.classify("COPY \"t\" (\"a\") FROM stdin")).isEqualTo(StatementKind.COPY);
    assertThat(dialect.classify("CREATE TABLE \"t\" (\n    \"a\" integer\n)"))
        .isEqualTo(StatementKind.SERIAL);
    assertThat(dialect.classify("CREATE INDEX i ON t USING btree (a)"))
        .isEqualTo(StatementKind.INDEX);
    assertThat(dialect.classify("ALTER TABLE ONLY \"t\" ADD CONSTRAINT \"t_pkey\" PRIMARY KEY (a)"))
        .isEqualTo(StatementKind.INDEX);
    assertThat(
            dialect.classify(
                "ALTER TABLE ONLY \"c\" ADD CONSTRAINT \"c_fk\" FOREIGN KEY (p) REFERENCES p(id)"))
        .isEqualTo(StatementKind.SERIAL);
    assertThat(dialect.classify("SELECT pg_catalog.setval('\"s\"', 5, true)"))
        .isEqualTo(StatementKind.SERIAL);
    for (String foreign :
        new String[] {
          "COMMIT",
          "SET search_path = other",
          "DROP TABLE t",
          "COPY t FROM '/etc/passwd'",
          "SELECT pg_catalog.pg_terminate_backend(1)"
        }) {
      assertThatThrownBy(() -> dialect.classify(foreign))
          .as(foreign)
          .isInstanceOf(DumpFormatException.class);
    }
  }

  /** The restore checks a table as soon as its COPY block is in: it must know which table. */
  @Test
  void aCopyBlockNamesItsTable() {
    assertThat(dialect.copyTable("COPY \"t\" (\"a\", \"b\") FROM stdin")).contains("t");
    assertThat(dialect.copyTable("COPY \"My \"\"odd\"\" Table\" (\"a\") FROM stdin"))
        .contains("My \"odd\" Table");
    assertThat(dialect.copyTable("COPY \"Tab(le\" (\"a\") FROM stdin")).contains("Tab(le");
    assertThat(dialect.copyTable("COPY t (a) FROM stdin")).isEmpty();
  }
}
