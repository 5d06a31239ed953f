package io.metadataops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.manifest.Manifest;
import io.metadataops.backup.manifest.SchemaObject;
import io.metadataops.backup.storage.S3Settings;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Digests;
import io.metadataops.backup.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every schema object kind a DBA may put into the schema survives backup -> restore (engine and
 * native client) identically, compared through the database's own catalog; what the engine cannot
 * carry fails the backup and is named.
 */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class SchemaObjectsTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
  private final BackupEngine engine =
      new BackupEngine(S3Settings.defaults(), Progress.to(new PrintStream(progressBytes, true)));

  /** Every object kind, created in an order the dump must not simply follow (names sort badly). */
  static final String[] POSTGRES_SCHEMA = {
    "CREATE EXTENSION IF NOT EXISTS citext",
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'it''s')",
    "CREATE TYPE address AS (street text, zip varchar(10) COLLATE \"C\")",
    "CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi)",
    "CREATE DOMAIN positive_int AS integer DEFAULT 1 NOT NULL CONSTRAINT positive CHECK (VALUE > 0)",
    "CREATE DOMAIN email AS citext CHECK (VALUE ~ '@')",
    "CREATE DOMAIN a_moods AS mood[]",
    "CREATE SEQUENCE code_seq START 100",
    "CREATE FUNCTION next_code() RETURNS text LANGUAGE sql"
        + " AS $$ SELECT 'C-' || nextval('code_seq')::text $$",
    "CREATE FUNCTION is_valid_score(s integer) RETURNS boolean LANGUAGE plpgsql IMMUTABLE"
        + " AS $body$ BEGIN RETURN s BETWEEN 0 AND 100; END $body$",
    "CREATE TABLE person (id serial PRIMARY KEY, name citext NOT NULL,"
        + " feeling mood DEFAULT 'ok', home address, age positive_int, mail email,"
        + " span floatrange, moods a_moods, score integer CHECK (is_valid_score(score)),"
        + " code text DEFAULT next_code())"
        + " WITH (fillfactor = 70, toast.autovacuum_vacuum_scale_factor = 0.05)",
    "CREATE INDEX person_name_idx ON person (lower(name::text))",
    "ALTER TABLE person ALTER COLUMN score SET STATISTICS 500",
    "ALTER TABLE person ALTER COLUMN code SET STORAGE EXTERNAL",
    "CREATE TABLE audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        + " person_id integer REFERENCES person (id), note text)",
    "CREATE FUNCTION audit_person() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        + " INSERT INTO audit (person_id, note) VALUES (NEW.id, TG_OP); RETURN NEW; END $$",
    "CREATE TRIGGER person_audit AFTER INSERT OR UPDATE ON person"
        + " FOR EACH ROW EXECUTE FUNCTION audit_person()",
    "CREATE TRIGGER b_disabled BEFORE DELETE ON person FOR EACH ROW EXECUTE FUNCTION audit_person()",
    "ALTER TABLE person DISABLE TRIGGER b_disabled",
    "CREATE PROCEDURE bump_scores(delta integer) LANGUAGE plpgsql"
        + " AS $$ BEGIN UPDATE person SET score = score + delta; END $$",
    "CREATE FUNCTION display_name(p person) RETURNS text LANGUAGE sql AS $$ SELECT p.name || '!' $$",
    "CREATE VIEW zz_happy_people AS SELECT id, name FROM person WHERE feeling = 'happy'",
    "CREATE VIEW happy_names WITH (security_barrier) AS SELECT name FROM zz_happy_people",
    "CREATE MATERIALIZED VIEW mood_counts AS SELECT feeling, count(*) AS n FROM person"
        + " GROUP BY feeling",
    "CREATE UNIQUE INDEX mood_counts_feeling ON mood_counts (feeling)",
    "CREATE MATERIALIZED VIEW a_over_counts AS SELECT sum(n) AS total FROM mood_counts",
    "CREATE MATERIALIZED VIEW unpopulated AS SELECT 1 AS x WITH NO DATA",
    "INSERT INTO person (name, feeling, home, age, mail, span, moods, score) VALUES"
        + " ('Ann', 'happy', ROW('Main St 1', '12345'), 30, 'ann@example.org', '[1.5,2.5)',"
        + " '{sad,happy}', 50),"
        + " ('Bob', 'sad', NULL, 41, 'bob@example.org', NULL, NULL, 99),"
        + " ('Cy', 'happy', ROW('x', NULL), 7, NULL, 'empty', '{}', 0)",
    "REFRESH MATERIALIZED VIEW mood_counts",
    "REFRESH MATERIALIZED VIEW a_over_counts",
    "COMMENT ON TABLE person IS 'people''s table'",
    "COMMENT ON COLUMN person.name IS 'case-insensitive'",
    "COMMENT ON VIEW zz_happy_people IS 'the happy ones'",
    "COMMENT ON MATERIALIZED VIEW mood_counts IS 'per mood'",
    "COMMENT ON FUNCTION is_valid_score(integer) IS 'range check'",
    "COMMENT ON PROCEDURE bump_scores(integer) IS 'bump'",
    "COMMENT ON TYPE mood IS 'feelings'",
    "COMMENT ON DOMAIN email IS 'mail address'",
    "COMMENT ON COLUMN address.zip IS 'postal code'",
    "COMMENT ON TRIGGER person_audit ON person IS 'audit trail'",
    "COMMENT ON SEQUENCE code_seq IS 'codes'",
    "COMMENT ON INDEX person_name_idx IS 'by name'",
    "COMMENT ON CONSTRAINT positive ON DOMAIN positive_int IS 'must be positive'",
    "COMMENT ON CONSTRAINT person_score_check ON person IS 'scores'",
  };

  @Test
  void postgresEngineRestoreRecreatesEveryObjectKind(Databases databases) throws Exception {
    ConnectionSpec source = postgresSource(databases);
    Path dump = dir.resolve("objects.sql.gz");
    Summary backup = engine.backup(source, BackupOptions.to(dump.toString()));
    assertThat(backup.status()).isEqualTo("Succeeded");
    Manifest manifest = Digests.manifest(dump);
    assertThat(manifest.schemaObjects())
        .contains(
            new SchemaObject("extension", "citext"),
            new SchemaObject("type", "mood"),
            new SchemaObject("type", "address"),
            new SchemaObject("type", "floatrange"),
            new SchemaObject("domain", "email"),
            new SchemaObject("function", "is_valid_score(s integer)"),
            new SchemaObject("procedure", "bump_scores(IN delta integer)"),
            new SchemaObject("view", "happy_names"),
            new SchemaObject("materialized view", "mood_counts"),
            new SchemaObject("trigger", "person_audit on person"),
            new SchemaObject("sequence", "\"code_seq\""));

    ConnectionSpec target = databases.fresh(DbServer.POSTGRES);
    Summary restore = engine.restore(target, RestoreOptions.from(dump.toString()));
    assertThat(restore.status()).isEqualTo("Succeeded");
    assertSameSchema(source, target);
    assertThat(Digests.of(target)).isEqualTo(Digests.of(source));
    assertBehaves(target);

    // Again over what is there now: every object is replaced, not doubled or refused.
    engine.restore(target, RestoreOptions.from(dump.toString()).droppingExisting());
    assertSameSchema(source, target);

    // verify with a scratch database checks the objects as it checks rows.
    assertThat(
            engine
                .verify(source, dump.toString(), databases.unusedName(DbServer.POSTGRES))
                .status())
        .isEqualTo("Succeeded");
  }

  @Test
  void postgresRestoreInOneTransactionRecreatesEveryObjectKind(Databases databases)
      throws Exception {
    ConnectionSpec source = postgresSource(databases);
    Path dump = dir.resolve("one-transaction.sql.gz");
    engine.backup(source, BackupOptions.to(dump.toString()));
    ConnectionSpec target = databases.fresh(DbServer.POSTGRES);
    String role = "mo_restorer_" + Long.toHexString(System.nanoTime());
    String password = "restorer-pw-" + role;
    try (Connection c = Fixtures.connect(target);
        Statement st = c.createStatement()) {
      // No schema may be created (so no staging schema); the extension is the DBA's to install.
      st.execute("CREATE EXTENSION citext");
      st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
      st.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + role);
    }
    ConnectionSpec restricted =
        new ConnectionSpec(
            target.scheme(),
            target.host(),
            target.port(),
            role,
            password,
            target.database(),
            null,
            null);
    try {
      engine.restore(restricted, RestoreOptions.from(dump.toString()));
      assertThat(progressBytes.toString(StandardCharsets.UTF_8))
          .contains("restoring in one transaction over one connection");
      assertSameSchema(source, target);
      assertThat(Digests.of(target)).isEqualTo(Digests.of(source));
      assertBehaves(target);
    } finally {
      try (Connection c = Fixtures.connect(target);
          Statement st = c.createStatement()) {
        st.execute("DROP OWNED BY " + role);
        st.execute("DROP ROLE " + role);
      }
    }
  }

  @Test
  void postgresDumpLoadsWithPsqlIdentically(Databases databases) throws Exception {
    ConnectionSpec source = postgresSource(databases);
    Path dump = dir.resolve("native.sql.gz");
    engine.backup(source, BackupOptions.to(dump.toString()));
    ConnectionSpec target = databases.fresh(DbServer.POSTGRES);
    runClient(
        "gunzip -c '"
            + dump
            + "' | psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "
            + DbServer.POSTGRES.port()
            + " -U "
            + DbServer.USER
            + " -d "
            + target.database()
            + " -f -");
    assertSameSchema(source, target);
    assertThat(Digests.of(target)).isEqualTo(Digests.of(source));
    assertBehaves(target);
  }

  @Test
  void postgresObjectTheEngineCannotCarryFailsTheBackupAndIsNamed(Databases databases)
      throws Exception {
    ConnectionSpec source = databases.fresh(DbServer.POSTGRES);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id integer PRIMARY KEY)");
      st.execute("CREATE AGGREGATE my_sum(integer) (sfunc = int4pl, stype = integer)");
      st.execute("CREATE FUNCTION atomic_one() RETURNS integer LANGUAGE sql RETURN 1");
      st.execute("CREATE TABLE parted (id integer, at date) PARTITION BY RANGE (at)");
      st.execute(
          "CREATE TABLE parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01')"
              + " TO ('2027-01-01')");
      st.execute("CREATE POLICY own_rows ON t USING (id > 0)");
      st.execute("CREATE RULE no_delete AS ON DELETE TO t DO INSTEAD NOTHING");
      st.execute("CREATE UNLOGGED TABLE scratch (id integer)");
      st.execute("CREATE TABLE quiet (id integer) WITH (autovacuum_enabled = false)");
    }
    Path dump = dir.resolve("refused.sql.gz");
    EngineException e =
        FailureModesTest.expect(
            ErrorCode.UNSUPPORTED, () -> engine.backup(source, BackupOptions.to(dump.toString())));
    assertThat(e.getMessage())
        .contains(
            "aggregate my_sum(integer)",
            "function atomic_one()",
            "partitioned table parted",
            "table parted_2026",
            "policy own_rows on t",
            "rule no_delete on t",
            "unlogged table scratch",
            "autovacuum_enabled of table quiet");
    assertThat(dump).doesNotExist();
    assertThat(Path.of(dump + ".manifest.json")).doesNotExist();
  }

  @Test
  void postgresViewOverAnExcludedTableFailsTheBackupAndIsNamed(Databases databases)
      throws Exception {
    ConnectionSpec source = postgresSource(databases);
    Path dump = dir.resolve("excluded.sql.gz");
    EngineException e =
        FailureModesTest.expect(
            ErrorCode.UNSUPPORTED,
            () ->
                engine.backup(
                    source,
                    new BackupOptions(dump.toString(), null, List.of(), List.of("person"), true)));
    assertThat(e.getMessage())
        .contains("view zz_happy_people: depends on table person")
        .contains("materialized view mood_counts: depends on table person");
    assertThat(dump).doesNotExist();
  }

  @Test
  void postgresRestoreRefusesATargetWithoutAnExtensionTheBackupNeeds(Databases databases)
      throws Exception {
    ConnectionSpec source = postgresSource(databases);
    Path dump = dir.resolve("extension.sql.gz");
    engine.backup(source, BackupOptions.to(dump.toString()));
    Path manifestFile = Path.of(dump + ".manifest.json");
    Manifest manifest = Digests.manifest(dump);
    List<SchemaObject> objects = new java.util.ArrayList<>(manifest.schemaObjects());
    objects.add(new SchemaObject("extension", "metadataops_no_such_extension"));
    Files.write(
        manifestFile,
        io.metadataops.backup.manifest.ManifestCodec.write(
            new Manifest(
                manifest.formatVersion(),
                manifest.engine(),
                manifest.serverVersion(),
                manifest.database(),
                manifest.schema(),
                manifest.schemaVersion(),
                manifest.compression(),
                manifest.checksumAlgorithm(),
                manifest.startedAt(),
                manifest.completedAt(),
                manifest.sizeBytes(),
                manifest.sha256(),
                manifest.tables(),
                objects)));
    ConnectionSpec target = databases.fresh(DbServer.POSTGRES);
    EngineException e =
        FailureModesTest.expect(
            ErrorCode.UNSUPPORTED,
            () -> engine.restore(target, RestoreOptions.from(dump.toString())));
    assertThat(e.getMessage()).contains("metadataops_no_such_extension");
    try (Connection c = Fixtures.connect(target)) {
      assertThat(RoundTripTest.rows(c, "SELECT count(*) FROM pg_class WHERE relnamespace = " + NS))
          .containsExactly(List.of("0"));
    }
  }

  /** Routines, views (one over another, sorting first), triggers and an event. */
  static final String[] MYSQL_SCHEMA = {
    "CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, n int,"
        + " s varchar(20) COLLATE utf8mb4_bin, note varchar(50) CHARACTER SET latin1,"
        + " KEY t_s (s)) COMMENT 'the table'",
    "CREATE TABLE t_log (id int AUTO_INCREMENT PRIMARY KEY, t_id int, what varchar(20),"
        + " CONSTRAINT t_log_t FOREIGN KEY (t_id) REFERENCES t (id) ON DELETE CASCADE)",
    "CREATE FUNCTION f_double(a int) RETURNS int DETERMINISTIC COMMENT 'twice'" + " RETURN a * 2",
    "CREATE PROCEDURE p_log(IN what varchar(20), OUT total int) MODIFIES SQL DATA BEGIN"
        + " INSERT INTO t_log (t_id, what) VALUES (NULL, what);"
        + " SELECT COUNT(*) INTO total FROM t_log; END",
    "CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW BEGIN"
        + " INSERT INTO t_log (t_id, what) VALUES (NEW.id, 'insert;'); END",
    "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.n = COALESCE(NEW.n, 0) + 1",
    "CREATE VIEW zz_base AS SELECT id, f_double(n) AS d FROM t",
    "CREATE VIEW a_over AS SELECT id FROM zz_base WHERE d > 2 WITH CHECK OPTION",
    "CREATE SQL SECURITY INVOKER VIEW v_inv AS SELECT COUNT(*) AS c FROM t_log",
    "CREATE EVENT ev_cleanup ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00'"
        + " ON COMPLETION PRESERVE DISABLE COMMENT 'nightly' DO DELETE FROM t_log WHERE id < 0",
    "INSERT INTO t (n, s, note) VALUES (1, 'a', 'x'), (NULL, 'B', 'y'), (5, 'c', NULL)",
    // Columns that inherit a non-default table collation read "COLLATE utf8mb4_bin" (MySQL 8),
    // one that names it explicitly "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin": both must stay.
    "CREATE TABLE bin_table (id varchar(36) NOT NULL PRIMARY KEY, e enum('a)','b') NOT NULL,"
        + " x varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, j json)"
        + " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
  };

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "MYSQL8"})
  void mysqlEngineRestoreAndClientRecreateEveryObjectKind(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec source = databases.fresh(server);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      for (String sql : MYSQL_SCHEMA) {
        st.execute(sql);
      }
      if (server == DbServer.MARIADB) {
        // MariaDB sequences, one used by a table's default.
        st.execute("CREATE SEQUENCE ticket_seq START WITH 10 INCREMENT BY 5 CACHE 20");
        st.execute(
            "CREATE TABLE ticket (id int PRIMARY KEY DEFAULT (NEXT VALUE FOR ticket_seq),"
                + " note varchar(10))");
        st.execute("INSERT INTO ticket (note) VALUES ('a'), ('b')");
      }
    }
    Path dump = dir.resolve("objects.sql.gz");
    engine.backup(source, BackupOptions.to(dump.toString()));
    List<SchemaObject> objects = new java.util.ArrayList<>(Digests.manifest(dump).schemaObjects());
    if (server == DbServer.MARIADB) {
      assertThat(objects.remove(new SchemaObject("sequence", "ticket_seq"))).isTrue();
    }
    assertThat(objects)
        .containsExactlyInAnyOrder(
            new SchemaObject("function", "f_double"),
            new SchemaObject("procedure", "p_log"),
            new SchemaObject("view", "zz_base"),
            new SchemaObject("view", "a_over"),
            new SchemaObject("view", "v_inv"),
            new SchemaObject("trigger", "t_ai"),
            new SchemaObject("trigger", "t_bi"),
            new SchemaObject("event", "ev_cleanup"));

    ConnectionSpec restored = databases.fresh(server);
    engine.restore(restored, RestoreOptions.from(dump.toString()));
    assertSameMysqlSchema(source, restored);
    assertThat(Digests.of(restored)).isEqualTo(Digests.of(source));
    assertMysqlBehaves(restored);
    // Again over what is there now: every object is replaced.
    engine.restore(restored, RestoreOptions.from(dump.toString()).droppingExisting());
    assertSameMysqlSchema(source, restored);

    ConnectionSpec loaded = databases.fresh(server);
    runClient(
        "gunzip -c '"
            + dump
            + "' | mariadb --default-character-set=utf8mb4 -h 127.0.0.1 -P "
            + server.port()
            + " -u "
            + DbServer.USER
            + " "
            + loaded.database());
    assertSameMysqlSchema(source, loaded);
    assertThat(Digests.of(loaded)).isEqualTo(Digests.of(source));
    assertMysqlBehaves(loaded);
    if (server == DbServer.MARIADB) {
      for (ConnectionSpec target : List.of(restored, loaded)) {
        try (Connection t = Fixtures.connect(target);
            Statement st = t.createStatement()) {
          st.execute("INSERT INTO ticket (note) VALUES ('c')");
          // The source had handed out (and cached up to) 10 + 20 * 5: the next is 110.
          assertThat(RoundTripTest.rows(t, "SELECT id FROM ticket WHERE note = 'c'"))
              .containsExactly(List.of("110"));
        }
      }
    }
  }

  /**
   * MariaDB only: MySQL 8 has binary logging on, where a user without SUPER may create functions
   * and triggers only with log_bin_trust_function_creators=1 (a server setting this shared test
   * server keeps as it is; the same holds for the mysql client).
   */
  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB"})
  void mysqlRestoreAsAnotherUserWithoutAdminPrivilegesKeepsEveryObject(
      DbServer server, Databases databases) throws Exception {
    ConnectionSpec source = databases.fresh(server);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      for (String sql : MYSQL_SCHEMA) {
        st.execute(sql);
      }
    }
    Path dump = dir.resolve("definer.sql.gz");
    engine.backup(source, BackupOptions.to(dump.toString()));
    ConnectionSpec target = databases.fresh(server);
    String user = "mo_restorer_" + target.database().substring(3);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      st.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'restorer-pw'");
      st.execute("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'restorer-pw'");
      for (String host : List.of("%", "localhost")) {
        st.execute("GRANT ALL ON `" + target.database() + "`.* TO '" + user + "'@'" + host + "'");
      }
    }
    try {
      ConnectionSpec asRestorer =
          ConnectionSpec.of(
              server.scheme(), "127.0.0.1", server.port(), user, "restorer-pw", target.database());
      engine.restore(asRestorer, RestoreOptions.from(dump.toString()));
      assertSameMysqlSchema(source, target);
      assertMysqlBehaves(asRestorer);
      try (Connection c = Fixtures.connect(target)) {
        assertThat(
                RoundTripTest.rows(
                    c,
                    "SELECT DISTINCT DEFINER FROM information_schema.VIEWS"
                        + " WHERE TABLE_SCHEMA = DATABASE()"))
            .singleElement()
            .satisfies(row -> assertThat(row.get(0)).startsWith(user + "@"));
      }
    } finally {
      try (Connection c = Fixtures.connect(source);
          Statement st = c.createStatement()) {
        st.execute("DROP USER IF EXISTS '" + user + "'@'%', '" + user + "'@'localhost'");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "MYSQL8"})
  void mysqlViewOverAnExcludedTableFailsTheBackupAndIsNamed(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec source = databases.fresh(server);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      for (String sql : MYSQL_SCHEMA) {
        st.execute(sql);
      }
    }
    Path dump = dir.resolve("excluded.sql");
    EngineException e =
        FailureModesTest.expect(
            ErrorCode.UNSUPPORTED,
            () ->
                engine.backup(
                    source,
                    new BackupOptions(dump.toString(), null, List.of(), List.of("t_log"), true)));
    assertThat(e.getMessage()).contains("view v_inv: depends on table t_log");
    assertThat(e.getMessage()).doesNotContain("view zz_base");
    assertThat(dump).doesNotExist();
  }

  private static void assertMysqlBehaves(ConnectionSpec target) throws Exception {
    try (Connection t = Fixtures.connect(target);
        Statement st = t.createStatement()) {
      // The triggers did not fire on the restored rows.
      assertThat(RoundTripTest.rows(t, "SELECT COUNT(*) FROM t_log")).containsExactly(List.of("3"));
      st.execute("INSERT INTO t (s) VALUES ('d')");
      assertThat(RoundTripTest.rows(t, "SELECT c FROM v_inv")).containsExactly(List.of("4"));
      assertThat(RoundTripTest.rows(t, "SELECT n FROM t WHERE s = 'd'"))
          .containsExactly(List.of("1"));
      assertThat(RoundTripTest.rows(t, "SELECT id FROM a_over ORDER BY id"))
          .containsExactly(List.of("1"), List.of("3"));
      st.execute("CALL p_log('manual', @total)");
      assertThat(RoundTripTest.rows(t, "SELECT @total")).containsExactly(List.of("5"));
    }
  }

  /** Source and target compared through information_schema and SHOW CREATE TABLE. */
  static void assertSameMysqlSchema(ConnectionSpec source, ConnectionSpec target) throws Exception {
    Map<String, List<List<String>>> expected = mysqlCatalog(source);
    Map<String, List<List<String>>> actual = mysqlCatalog(target);
    for (Map.Entry<String, List<List<String>>> kind : expected.entrySet()) {
      assertThat(actual.get(kind.getKey())).as(kind.getKey()).isEqualTo(kind.getValue());
    }
    assertThat(expected.get("routines")).hasSize(2);
    assertThat(expected.get("triggers")).hasSize(2);
    assertThat(expected.get("events")).hasSize(1);
  }

  static Map<String, List<List<String>>> mysqlCatalog(ConnectionSpec spec) throws Exception {
    String db = "'" + spec.database() + "'";
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put(
        "tables",
        "SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT"
            + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
            + db
            + " ORDER BY 1");
    queries.put(
        "columns",
        "SELECT TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME,"
            + " COLLATION_NAME, IS_NULLABLE, REPLACE(COLUMN_DEFAULT, CONCAT('`', "
            + db
            + ", '`'), '`db`'), EXTRA, GENERATION_EXPRESSION,"
            + " COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
            + db
            + " ORDER BY 1, 2");
    queries.put(
        "indexes",
        "SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE,"
            + " SUB_PART FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
            + db
            + " ORDER BY 1, 2, 3");
    queries.put(
        "constraints",
        "SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, r.UPDATE_RULE,"
            + " r.DELETE_RULE, r.REFERENCED_TABLE_NAME FROM information_schema.TABLE_CONSTRAINTS c"
            + " LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r"
            + " ON r.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA"
            + " AND r.CONSTRAINT_NAME = c.CONSTRAINT_NAME WHERE c.TABLE_SCHEMA = "
            + db
            + " ORDER BY 1, 2");
    queries.put(
        "views",
        "SELECT TABLE_NAME, REPLACE(VIEW_DEFINITION, "
            + db
            + ", 'db'), CHECK_OPTION, IS_UPDATABLE, SECURITY_TYPE FROM information_schema.VIEWS"
            + " WHERE TABLE_SCHEMA = "
            + db
            + " ORDER BY 1");
    queries.put(
        "routines",
        "SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_DEFINITION,"
            + " IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, SQL_MODE, ROUTINE_COMMENT"
            + " FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = "
            + db
            + " ORDER BY 1");
    queries.put(
        "parameters",
        "SELECT SPECIFIC_NAME, ORDINAL_POSITION, PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER"
            + " FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = "
            + db
            + " ORDER BY 1, 2");
    queries.put(
        "triggers",
        "SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_ORDER,"
            + " ACTION_STATEMENT, ACTION_TIMING, SQL_MODE FROM information_schema.TRIGGERS"
            + " WHERE TRIGGER_SCHEMA = "
            + db
            + " ORDER BY 1");
    queries.put(
        "sequences",
        "SELECT TABLE_NAME, CREATE_OPTIONS FROM information_schema.TABLES"
            + " WHERE TABLE_TYPE = 'SEQUENCE' AND TABLE_SCHEMA = "
            + db
            + " ORDER BY 1");
    queries.put(
        "events",
        "SELECT EVENT_NAME, EVENT_DEFINITION, EVENT_TYPE, INTERVAL_VALUE, INTERVAL_FIELD,"
            + " STARTS, STATUS, ON_COMPLETION, SQL_MODE, TIME_ZONE, EVENT_COMMENT"
            + " FROM information_schema.EVENTS WHERE EVENT_SCHEMA = "
            + db
            + " ORDER BY 1");
    Map<String, List<List<String>>> result = new LinkedHashMap<>();
    try (Connection c = Fixtures.connect(spec)) {
      for (Map.Entry<String, String> query : queries.entrySet()) {
        result.put(query.getKey(), RoundTripTest.rows(c, query.getValue()));
      }
      for (List<String> table :
          RoundTripTest.rows(
              c,
              "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                  + db
                  + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")) {
        // A sequence in a default is printed with its database (the target's own, restored).
        result.put(
            "SHOW CREATE TABLE " + table.get(0),
            RoundTripTest.rows(c, "SHOW CREATE TABLE `" + table.get(0) + "`").stream()
                .map(
                    row ->
                        row.stream()
                            .map(v -> v.replace("`" + spec.database() + "`", "`db`"))
                            .toList())
                .toList());
      }
    }
    return result;
  }

  private static ConnectionSpec postgresSource(Databases databases) throws Exception {
    ConnectionSpec source = databases.fresh(DbServer.POSTGRES);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      for (String sql : POSTGRES_SCHEMA) {
        st.execute(sql);
      }
    }
    return source;
  }

  /** The restored objects work: triggers fire after the restore (not during), defaults run. */
  private static void assertBehaves(ConnectionSpec target) throws Exception {
    try (Connection t = Fixtures.connect(target);
        Statement st = t.createStatement()) {
      // The trigger did not fire on the restored rows: audit holds exactly the source's rows.
      assertThat(RoundTripTest.rows(t, "SELECT count(*) FROM audit")).containsExactly(List.of("3"));
      st.execute("INSERT INTO person (name, score) VALUES ('Dee', 1)");
      assertThat(RoundTripTest.rows(t, "SELECT count(*) FROM audit")).containsExactly(List.of("4"));
      assertThat(RoundTripTest.rows(t, "SELECT code, age FROM person WHERE name = 'dee'"))
          .containsExactly(List.of("C-103", "1"));
      st.execute("CALL bump_scores(1)");
      assertThat(RoundTripTest.rows(t, "SELECT total FROM a_over_counts"))
          .containsExactly(List.of("3"));
      assertThat(RoundTripTest.rows(t, "SELECT display_name(p) FROM person p WHERE id = 1"))
          .containsExactly(List.of("Ann!"));
    }
  }

  private static void runClient(String command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", command);
    pb.environment().put("PGPASSWORD", DbServer.PASSWORD);
    pb.environment().put("MYSQL_PWD", DbServer.PASSWORD);
    pb.redirectErrorStream(true);
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("client output: %s", output).isZero();
  }

  /** Source and target schema 'public' compared through pg_catalog, kind by kind. */
  static void assertSameSchema(ConnectionSpec source, ConnectionSpec target) throws Exception {
    Map<String, List<List<String>>> expected = postgresCatalog(source);
    Map<String, List<List<String>>> actual = postgresCatalog(target);
    for (Map.Entry<String, List<List<String>>> kind : expected.entrySet()) {
      assertThat(actual.get(kind.getKey())).as(kind.getKey()).isEqualTo(kind.getValue());
    }
    assertThat(expected.get("types")).isNotEmpty();
    // Five of the fixture's own, five constructors of its range type (and multirange).
    assertThat(expected.get("routines")).hasSize(10);
  }

  static final String NS = "(SELECT oid FROM pg_namespace WHERE nspname = 'public')";

  static Map<String, List<List<String>>> postgresCatalog(ConnectionSpec spec) throws Exception {
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put(
        "relations",
        "SELECT relname, relkind, relpersistence, relispopulated::text,"
            + " array_to_string(reloptions, ',') FROM pg_class WHERE relnamespace = "
            + NS
            + " ORDER BY 1");
    queries.put(
        "toast options",
        "SELECT c.relname, array_to_string(t.reloptions, ',') FROM pg_class c"
            + " JOIN pg_class t ON t.oid = c.reltoastrelid WHERE c.relnamespace = "
            + NS
            + " ORDER BY 1");
    queries.put(
        "columns",
        "SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),"
            + " co.collname, a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid),"
            + " a.attidentity::text, a.attgenerated::text, a.attstattarget, a.attstorage::text"
            + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            + " LEFT JOIN pg_collation co ON co.oid = a.attcollation"
            + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            + " WHERE c.relnamespace = "
            + NS
            + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, 2");
    queries.put(
        "indexes",
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i"
            + " JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = "
            + NS
            + " ORDER BY 1");
    queries.put(
        "constraints",
        "SELECT conname, contype::text, COALESCE(conrelid::regclass::text, ''),"
            + " COALESCE(contypid::regtype::text, ''), pg_get_constraintdef(oid),"
            + " convalidated::text FROM pg_constraint WHERE connamespace = "
            + NS
            + " ORDER BY 1, 3, 4");
    queries.put(
        "views",
        "SELECT relname, pg_get_viewdef(oid) FROM pg_class WHERE relnamespace = "
            + NS
            + " AND relkind IN ('v', 'm') ORDER BY 1");
    queries.put(
        "routines",
        "SELECT proname, pg_get_function_identity_arguments(oid), prokind::text,"
            + " pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = "
            + NS
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = pg_proc.oid"
            + " AND e.deptype = 'e') ORDER BY 1, 2");
    queries.put(
        "triggers",
        "SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(t.oid), tgenabled::text"
            + " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            + " WHERE c.relnamespace = "
            + NS
            + " AND NOT tgisinternal ORDER BY 1");
    queries.put(
        "types",
        "SELECT t.typname, t.typtype::text, format_type(t.typbasetype, t.typtypmod),"
            + " t.typnotnull::text, pg_get_expr(t.typdefaultbin, 0),"
            + " (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum"
            + " WHERE enumtypid = t.oid),"
            + " (SELECT format_type(rngsubtype, NULL) || ' ' || rngsubdiff::regproc::text"
            + " FROM pg_range WHERE rngtypid = t.oid)"
            + " FROM pg_type t WHERE t.typnamespace = "
            + NS
            + " ORDER BY 1");
    queries.put(
        "sequences",
        "SELECT sequencename, data_type::text, start_value, increment_by, min_value,"
            + " max_value, cache_size, cycle::text, last_value FROM pg_sequences"
            + " WHERE schemaname = 'public' ORDER BY 1");
    queries.put(
        "sequence owners",
        "SELECT s.relname, d.refobjid::regclass::text, d.refobjsubid, d.deptype::text"
            + " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
            + " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
            + " AND s.relnamespace = "
            + NS
            + " ORDER BY 1");
    queries.put(
        "comments",
        "SELECT pg_describe_object(classoid, objoid, objsubid), description"
            + " FROM pg_description WHERE (pg_identify_object(classoid, objoid, objsubid))"
            + ".schema = 'public' ORDER BY 1");
    queries.put(
        "extensions",
        "SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n"
            + " ON n.oid = e.extnamespace ORDER BY 1");
    queries.put("materialized rows", "SELECT feeling::text, n FROM mood_counts ORDER BY 1");
    queries.put("view rows", "SELECT * FROM happy_names ORDER BY 1");
    Map<String, List<List<String>>> result = new LinkedHashMap<>();
    try (Connection c = Fixtures.connect(spec)) {
      for (Map.Entry<String, String> query : queries.entrySet()) {
        result.put(query.getKey(), RoundTripTest.rows(c, query.getValue()));
      }
    }
    return result;
  }

  static String read(Path file) throws Exception {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }
}
