package io.metadataops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.manifest.Manifest;
import io.metadataops.backup.manifest.ManifestCodec;
import io.metadataops.backup.manifest.TableEntry;
import io.metadataops.backup.sql.ChecksumAlgorithm;
import io.metadataops.backup.sql.PostgresDialect;
import io.metadataops.backup.storage.S3Settings;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Digests;
import io.metadataops.backup.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every documented failure gives its error code, and nothing is touched that should not be. */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class FailureModesTest {

  @TempDir Path dir;

  private final BackupEngine engine = new BackupEngine(S3Settings.defaults(), Progress.none());

  private Path backup(DbServer server, Databases databases) throws Exception {
    return backup(server, databases, server + ".sql.gz");
  }

  private Path backup(DbServer server, Databases databases, String fileName) throws Exception {
    ConnectionSpec source = databases.fresh(server);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE SERVER_CHANGE_LOG (version VARCHAR(20), checksum VARCHAR(20))");
      st.execute("INSERT INTO SERVER_CHANGE_LOG VALUES ('1.9.4', 'a'), ('1.10.1', 'b')");
      st.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(2000))");
      StringBuilder sql = new StringBuilder("INSERT INTO t VALUES ");
      for (int i = 0; i < 500; i++) {
        sql.append(i == 0 ? "" : ",")
            .append("(")
            .append(i)
            .append(", '")
            .append("v".repeat(i))
            .append("')");
      }
      st.execute(sql.toString());
    }
    Path dump = dir.resolve(fileName);
    engine.backup(source, BackupOptions.to(dump.toString()));
    return dump;
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void truncatedOrAlteredDumpIsRefusedAndTheTargetLeftAsItWas(DbServer server, Databases databases)
      throws Exception {
    Path dump = backup(server, databases);
    byte[] original = Files.readAllBytes(dump);
    ConnectionSpec target = databases.fresh(server);

    Files.write(dump, java.util.Arrays.copyOf(original, original.length - 100));
    expect(ErrorCode.INTEGRITY, () -> engine.restore(target, RestoreOptions.from(dump.toString())));
    expect(ErrorCode.INTEGRITY, () -> engine.verify(null, dump.toString(), null));

    Files.write(dump, original);
    try (RandomAccessFile file = new RandomAccessFile(dump.toFile(), "rw")) {
      file.seek(original.length / 2);
      file.write(original[original.length / 2] ^ 0x01);
    }
    // MySQL refuses it before the database is touched; PostgreSQL loads it into a staging
    // schema, finds the SHA-256 wrong at the end and drops that schema.
    expect(ErrorCode.INTEGRITY, () -> engine.restore(target, RestoreOptions.from(dump.toString())));
    assertLeftAsItWas(server, target, "0");

    Files.write(dump, original);
    assertThat(engine.verify(null, dump.toString(), null).status()).isEqualTo("Succeeded");
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void restoredContentThatDiffersFromTheManifestIsAMismatch(DbServer server, Databases databases)
      throws Exception {
    Path dump = backup(server, databases);
    Path manifest = Path.of(dump + ".manifest.json");
    String json = Files.readString(manifest);
    // The dump is intact (its SHA-256 still matches); the manifest claims other content for t.
    String tampered =
        json.replaceFirst(
            "(\"name\" : \"t\",\\s*\"rows\" : 500,\\s*\"checksum\" : \")[0-9a-f]", "$1z");
    assertThat(tampered).isNotEqualTo(json);
    Files.writeString(manifest, tampered);

    EngineException e =
        expect(
            ErrorCode.MISMATCH,
            () -> engine.restore(databases.fresh(server), RestoreOptions.from(dump.toString())));
    assertThat(e.getMessage()).contains("t content checksum differs");
  }

  /**
   * Backups written before the faster row hash name {@code sha256-multiset-v1}: they restore and
   * are checked with it; a mismatch is still found, and an algorithm the engine does not know is
   * refused before the target is touched.
   */
  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void backupsOfTheFormerChecksumAlgorithmRestoreAndAreChecked(DbServer server, Databases databases)
      throws Exception {
    Path dump = backup(server, databases);
    Path manifestFile = Path.of(dump + ".manifest.json");
    Manifest current = ManifestCodec.read(Files.readAllBytes(manifestFile), dump.toString());
    assertThat(current.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CURRENT.id());
    ConnectionSpec first = databases.fresh(server);
    engine.restore(first, RestoreOptions.from(dump.toString()));
    List<TableEntry> former = Digests.entries(first, ChecksumAlgorithm.SHA256_MULTISET_V1);
    assertThat(former).extracting(TableEntry::checksum).allMatch(c -> c.length() == 64);
    assertThat(former)
        .extracting(TableEntry::checksum)
        .doesNotContainAnyElementsOf(current.tables().stream().map(TableEntry::checksum).toList());

    Files.write(
        manifestFile, ManifestCodec.write(withChecksums(current, "sha256-multiset-v1", former)));
    assertThat(
            engine.restore(databases.fresh(server), RestoreOptions.from(dump.toString())).status())
        .isEqualTo("Succeeded");

    List<TableEntry> wrong = new ArrayList<>(former);
    TableEntry t = wrong.stream().filter(e -> e.name().equals("t")).findFirst().orElseThrow();
    wrong.set(wrong.indexOf(t), new TableEntry("t", t.rows(), "0" + t.checksum().substring(1)));
    assertThat(wrong).isNotEqualTo(former);
    Files.write(
        manifestFile, ManifestCodec.write(withChecksums(current, "sha256-multiset-v1", wrong)));
    assertThat(
            expect(
                    ErrorCode.MISMATCH,
                    () ->
                        engine.restore(
                            databases.fresh(server), RestoreOptions.from(dump.toString())))
                .getMessage())
        .contains("t content checksum differs");

    Files.write(manifestFile, ManifestCodec.write(withChecksums(current, "crc8-v9", former)));
    ConnectionSpec untouched = databases.fresh(server);
    assertThat(
            expect(
                    ErrorCode.INTEGRITY,
                    () -> engine.restore(untouched, RestoreOptions.from(dump.toString())))
                .getMessage())
        .contains("'crc8-v9'");
    assertLeftAsItWas(server, untouched, "0");
  }

  private static Manifest withChecksums(Manifest m, String algorithm, List<TableEntry> tables) {
    return new Manifest(
        m.formatVersion(),
        m.engine(),
        m.serverVersion(),
        m.database(),
        m.schema(),
        m.schemaVersion(),
        m.compression(),
        algorithm,
        m.startedAt(),
        m.completedAt(),
        m.sizeBytes(),
        m.sha256(),
        tables,
        m.objects());
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void verifyWithScratchDatabaseRestoresAndDropsIt(DbServer server, Databases databases)
      throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec admin = databases.fresh(server);
    String scratch = databases.unusedName(server);

    Summary summary = engine.verify(admin, dump.toString(), scratch);

    assertThat(summary.status()).isEqualTo("Succeeded");
    assertThat(summary.rows()).isEqualTo(502);
    try (Connection c = Fixtures.connect(admin)) {
      String exists =
          server == DbServer.POSTGRES
              ? "SELECT count(*) FROM pg_database WHERE datname = '" + scratch + "'"
              : "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
                  + scratch
                  + "'";
      assertThat(RoundTripTest.rows(c, exists)).containsExactly(java.util.List.of("0"));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void verifyOfATamperedDumpFailsBeforeAnyScratchDatabaseExists(
      DbServer server, Databases databases) throws Exception {
    Path dump = backup(server, databases);
    byte[] original = Files.readAllBytes(dump);
    try (RandomAccessFile file = new RandomAccessFile(dump.toFile(), "rw")) {
      file.seek(original.length / 2);
      file.write(original[original.length / 2] ^ 0x01);
    }
    ConnectionSpec admin = databases.fresh(server);
    String scratch = databases.unusedName(server);

    expect(ErrorCode.INTEGRITY, () -> engine.verify(admin, dump.toString(), scratch));
    assertThat(databaseExists(server, admin, scratch)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void verifyIntoAScratchThatHoldsTablesIsRefusedAndLeavesItAsItWas(
      DbServer server, Databases databases) throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec occupied = databases.fresh(server);
    try (Connection c = Fixtures.connect(occupied);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE someone_elses (id INT)");
      st.execute("INSERT INTO someone_elses VALUES (7)");
    }

    ConnectionSpec admin = databases.fresh(server);
    expect(
        ErrorCode.TARGET_NOT_EMPTY,
        () -> engine.verify(admin, dump.toString(), occupied.database()));
    assertThat(databaseExists(server, admin, occupied.database())).isTrue();
    try (Connection c = Fixtures.connect(occupied)) {
      assertThat(RoundTripTest.rows(c, "SELECT id FROM someone_elses"))
          .containsExactly(java.util.List.of("7"));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void aKeptScratchHoldsTheVerifiedCopyUntilDropScratchDropsIt(DbServer server, Databases databases)
      throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec admin = databases.fresh(server);
    String scratch = databases.unusedName(server);

    Summary verified = engine.verify(admin, dump.toString(), scratch, true);

    assertThat(verified.rows()).isEqualTo(502);
    try (Connection c = Fixtures.connect(admin.withDatabase(scratch))) {
      assertThat(RoundTripTest.rows(c, "SELECT count(*) FROM t"))
          .containsExactly(java.util.List.of("500"));
    }
    assertThat(engine.dropScratch(admin, scratch).status()).isEqualTo("Succeeded");
    assertThat(databaseExists(server, admin, scratch)).isFalse();
    assertThat(engine.dropScratch(admin, scratch).status())
        .as("dropping an absent scratch is a success: a retried Job finds it gone")
        .isEqualTo("Succeeded");
    assertThat(databaseExists(server, admin, admin.database())).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void aScratchToKeepMustBeNewAndDropScratchNeverDropsTheServersDatabase(
      DbServer server, Databases databases) throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec admin = databases.fresh(server);
    ConnectionSpec existing = databases.fresh(server);

    expect(
        ErrorCode.ALREADY_EXISTS,
        () -> engine.verify(admin, dump.toString(), existing.database(), true));
    assertThat(databaseExists(server, admin, existing.database())).isTrue();

    expect(ErrorCode.USAGE, () -> engine.dropScratch(admin, admin.database()));
    assertThat(databaseExists(server, admin, admin.database())).isTrue();
  }

  private static boolean databaseExists(DbServer server, ConnectionSpec admin, String name)
      throws Exception {
    String exists =
        server == DbServer.POSTGRES
            ? "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"
            : "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + name + "'";
    try (Connection c = Fixtures.connect(admin)) {
      return !RoundTripTest.rows(c, exists).equals(java.util.List.of(java.util.List.of("0")));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void restoreRefusesNonEmptyTargetUnlessDropExisting(DbServer server, Databases databases)
      throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec target = databases.fresh(server);
    try (Connection c = Fixtures.connect(target);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE leftover (id INT)");
      st.execute("INSERT INTO leftover VALUES (42)");
    }

    expect(
        ErrorCode.TARGET_NOT_EMPTY,
        () -> engine.restore(target, RestoreOptions.from(dump.toString())));
    try (Connection c = Fixtures.connect(target)) {
      assertThat(RoundTripTest.rows(c, "SELECT id FROM leftover"))
          .containsExactly(java.util.List.of("42"));
    }

    Summary restored =
        engine.restore(target, RestoreOptions.from(dump.toString()).droppingExisting());
    assertThat(restored.rows()).isEqualTo(502);
    try (Connection c = Fixtures.connect(target)) {
      assertThat(RoundTripTest.rows(c, countTables(server)))
          .containsExactly(java.util.List.of("2"));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void schemaVersionMismatchIsRefusedUnlessAllowed(DbServer server, Databases databases)
      throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec target = databases.fresh(server);
    RestoreOptions options = RestoreOptions.from(dump.toString());

    expect(
        ErrorCode.SCHEMA_VERSION_MISMATCH,
        () -> engine.restore(target, options.expecting("1.9.4", false)));
    assertThat(engine.restore(target, options.expecting("1.9.4", true)).schemaVersion())
        .isEqualTo("1.10.1");
    ConnectionSpec other = databases.fresh(server);
    assertThat(engine.restore(other, options.expecting("1.10.1", false)).status())
        .isEqualTo("Succeeded");
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void outputIsNeverOverwritten(DbServer server, Databases databases) throws Exception {
    Path dump = backup(server, databases);
    byte[] before = Files.readAllBytes(dump);
    ConnectionSpec source = databases.fresh(server);

    expect(
        ErrorCode.ALREADY_EXISTS, () -> engine.backup(source, BackupOptions.to(dump.toString())));
    assertThat(Files.readAllBytes(dump)).isEqualTo(before);

    Path onlyManifest = dir.resolve("other.sql");
    Files.writeString(Path.of(onlyManifest + ".manifest.json"), "{}");
    expect(
        ErrorCode.ALREADY_EXISTS,
        () -> engine.backup(source, BackupOptions.to(onlyManifest.toString())));
    assertThat(onlyManifest).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void connectionFailuresNameTheCause(DbServer server, Databases databases) {
    ConnectionSpec good = databases.fresh(server);
    String out = dir.resolve("x.sql").toString();

    EngineException auth =
        expect(
            ErrorCode.AUTHENTICATION,
            () -> engine.backup(good.withPassword("wrong-pw-123"), BackupOptions.to(out)));
    assertThat(auth.getMessage()).contains("metadataops").doesNotContain("wrong-pw-123");

    EngineException unreachable =
        expect(
            ErrorCode.UNREACHABLE,
            () -> engine.backup(good.withHostPort("127.0.0.1", 1), BackupOptions.to(out)));
    assertThat(unreachable.getMessage()).contains("127.0.0.1:1").contains("connection refused");

    expect(
        ErrorCode.DATABASE_NOT_FOUND,
        () -> engine.backup(good.withDatabase("no_such_db_xyz"), BackupOptions.to(out)));
    assertThat(Path.of(out)).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void inputNotFoundAndDeleteIsIdempotent(DbServer server, Databases databases) throws Exception {
    ConnectionSpec target = databases.fresh(server);
    expect(
        ErrorCode.NOT_FOUND,
        () -> engine.restore(target, RestoreOptions.from(dir.resolve("nope.sql.gz").toString())));

    Path dump = backup(server, databases);
    assertThat(engine.delete(dump.toString()).status()).isEqualTo("Succeeded");
    assertThat(dump).doesNotExist();
    assertThat(Path.of(dump + ".manifest.json")).doesNotExist();
    assertThat(engine.delete(dump.toString()).status()).isEqualTo("Succeeded");
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void inspectReportsPrivilegesVersionAndTables(DbServer server, Databases databases)
      throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec target = databases.fresh(server);
    engine.restore(target, RestoreOptions.from(dump.toString()));

    InspectReport report = engine.inspect(target);

    assertThat(report.reachable()).isTrue();
    assertThat(report.schemaVersion()).isEqualTo("1.10.1");
    assertThat(report.privileges().backupPossible()).isTrue();
    assertThat(report.privileges().restorePossible()).isTrue();
    assertThat(report.tables()).extracting(InspectReport.Table::name).contains("t");
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void aDumpThatFailsToLoadNamesTheStatement(DbServer server, Databases databases)
      throws Exception {
    Path dump = backup(server, databases, server + ".sql");
    // Intact as far as its manifest can tell, but a statement fails: on a worker connection
    // (MySQL: the rows of t; PostgreSQL: a piece of t's COPY data).
    edit(
        dump,
        sql ->
            server == DbServer.POSTGRES
                ? sql.replace("\n7\tvvvvvvv\n", "\nseven\tvvvvvvv\n")
                : sql.replace("INSERT INTO `t` ", "INSERT INTO `t_missing` "));
    ConnectionSpec target = databases.fresh(server);

    EngineException e =
        expect(
            ErrorCode.INTERNAL, () -> engine.restore(target, RestoreOptions.from(dump.toString())));

    assertThat(e.getMessage())
        .containsPattern("statement \\d+ \\(ending at line \\d+ of the dump\\) failed");
    if (server == DbServer.POSTGRES) {
      assertLeftAsItWas(server, target, "0");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void aBadDumpNeverCostsTheTargetItsTablesEvenWithDropExisting(
      DbServer server, Databases databases) throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec target = databases.fresh(server);
    engine.restore(target, RestoreOptions.from(dump.toString()));
    byte[] original = Files.readAllBytes(dump);
    try (RandomAccessFile file = new RandomAccessFile(dump.toFile(), "rw")) {
      file.seek(original.length / 2);
      file.write(original[original.length / 2] ^ 0x01);
    }

    expect(
        ErrorCode.INTEGRITY,
        () -> engine.restore(target, RestoreOptions.from(dump.toString()).droppingExisting()));

    assertLeftAsItWas(server, target, "2");
    try (Connection c = Fixtures.connect(target)) {
      assertThat(RoundTripTest.rows(c, "SELECT count(*) FROM t"))
          .containsExactly(java.util.List.of("500"));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"POSTGRES"})
  void aLeftoverStagingSchemaIsDroppedAndConcurrentRestoresAreRefused(
      DbServer server, Databases databases) throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec target = databases.fresh(server);
    String staging = PostgresDialect.stagingSchema("public");
    try (Connection c = Fixtures.connect(target);
        Statement st = c.createStatement()) {
      // What a restore that was killed leaves behind.
      st.execute("CREATE SCHEMA " + staging);
      st.execute("CREATE TABLE " + staging + ".t (id INT)");
      st.execute("SELECT pg_advisory_lock(hashtext('metadataops-restore'), hashtext('public'))");
      EngineException busy =
          expect(
              ErrorCode.TARGET_NOT_EMPTY,
              () -> engine.restore(target, RestoreOptions.from(dump.toString())));
      assertThat(busy.getMessage()).contains("another restore into schema public");
    }

    assertThat(engine.restore(target, RestoreOptions.from(dump.toString())).rows()).isEqualTo(502);
    assertLeftAsItWas(server, target, "2");
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"POSTGRES"})
  void restoresIntoAnotherSchemaWithItsIndexes(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec source = databases.fresh(server);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
      st.execute("CREATE INDEX t_v_idx ON t (v)");
      st.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    }
    Path dump = dir.resolve("schema.sql");
    engine.backup(source, BackupOptions.to(dump.toString()));
    ConnectionSpec target = databases.fresh(server).withSchema("elsewhere");

    engine.restore(target, RestoreOptions.from(dump.toString()));

    try (Connection c = Fixtures.connect(target)) {
      assertThat(
              RoundTripTest.rows(
                  c,
                  "SELECT schemaname, indexname FROM pg_indexes"
                      + " WHERE tablename = 't' ORDER BY 2"))
          .containsExactly(
              java.util.List.of("elsewhere", "t_pkey"), java.util.List.of("elsewhere", "t_v_idx"));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"POSTGRES"})
  void autovacuumLeavesTheStagedTablesAloneUntilTheyArePublished(
      DbServer server, Databases databases) throws Exception {
    Path dump = backup(server, databases);
    ConnectionSpec target = databases.fresh(server);
    String staging = PostgresDialect.stagingSchema("public");
    String reloptions =
        "SELECT c.relname, coalesce(array_to_string(c.reloptions, ','), '-'),"
            + " coalesce(array_to_string(t.reloptions, ','), '-')"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_class t ON t.oid = c.reltoastrelid"
            + " WHERE c.relkind = 'r' AND n.nspname = '%s' ORDER BY 1";
    List<List<String>> whileStaged = new ArrayList<>();
    Progress beforePublishing =
        line -> {
          if (line.startsWith("moving the restored tables")) {
            try (Connection c = Fixtures.connect(target)) {
              whileStaged.addAll(RoundTripTest.rows(c, reloptions.formatted(staging)));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        };

    new BackupEngine(S3Settings.defaults(), beforePublishing)
        .restore(target, RestoreOptions.from(dump.toString()));

    String off = "autovacuum_enabled=false";
    assertThat(whileStaged)
        .containsExactly(List.of("server_change_log", off, "-"), List.of("t", off, off));
    try (Connection c = Fixtures.connect(target)) {
      assertThat(RoundTripTest.rows(c, reloptions.formatted("public")))
          .containsExactly(List.of("server_change_log", "-", "-"), List.of("t", "-", "-"));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"POSTGRES"})
  void withoutTheRightToCreateASchemaTheRestoreRunsInOneTransaction(
      DbServer server, Databases databases) throws Exception {
    Path dump = backup(server, databases);
    Path altered = dir.resolve("altered.sql.gz");
    byte[] original = Files.readAllBytes(dump);
    byte[] flipped = original.clone();
    flipped[original.length / 2] ^= 0x01;
    Files.write(altered, flipped);
    Files.copy(Path.of(dump + ".manifest.json"), Path.of(altered + ".manifest.json"));
    ConnectionSpec target = databases.fresh(server);
    String role = "mo_restorer_" + Long.toHexString(System.nanoTime());
    String password = "restorer-pw-" + role;
    try (Connection c = Fixtures.connect(target);
        Statement st = c.createStatement()) {
      // May create tables in schema public, but no schema in the database.
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
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    BackupEngine watched =
        new BackupEngine(S3Settings.defaults(), Progress.to(new PrintStream(progress, true)));
    try {
      expect(
          ErrorCode.INTEGRITY,
          () -> watched.restore(restricted, RestoreOptions.from(altered.toString())));
      assertLeftAsItWas(server, target, "0");

      assertThat(watched.restore(restricted, RestoreOptions.from(dump.toString())).rows())
          .isEqualTo(502);
      assertLeftAsItWas(server, target, "2");
      assertThat(progress.toString(StandardCharsets.UTF_8))
          .contains("restoring in one transaction over one connection");
    } finally {
      try (Connection c = Fixtures.connect(target);
          Statement st = c.createStatement()) {
        st.execute("DROP OWNED BY " + role);
        st.execute("DROP ROLE " + role);
      }
    }
  }

  /** The target holds {@code tables} tables, and no restore left a staging schema behind. */
  private static void assertLeftAsItWas(DbServer server, ConnectionSpec target, String tables)
      throws Exception {
    try (Connection c = Fixtures.connect(target)) {
      assertThat(RoundTripTest.rows(c, countTables(server)))
          .containsExactly(java.util.List.of(tables));
      if (server == DbServer.POSTGRES) {
        assertThat(
                RoundTripTest.rows(
                    c,
                    "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'metadataops_restore%'"))
            .containsExactly(java.util.List.of("0"));
      }
    }
  }

  /**
   * Edits an uncompressed dump and gives its manifest the new size and SHA-256: a dump that is
   * intact as far as the manifest can tell.
   */
  private static void edit(Path dump, UnaryOperator<String> change) throws Exception {
    String text = Files.readString(dump);
    String changed = change.apply(text);
    assertThat(changed).isNotEqualTo(text);
    Files.writeString(dump, changed);
    byte[] bytes = Files.readAllBytes(dump);
    Path manifestFile = Path.of(dump + ".manifest.json");
    Manifest manifest =
        ManifestCodec.read(Files.readAllBytes(manifestFile), manifestFile.toString());
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    Files.write(manifestFile, ManifestCodec.write(manifest.withDump(bytes.length, sha256)));
  }

  private static String countTables(DbServer server) {
    return server == DbServer.POSTGRES
        ? "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        : "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()";
  }

  static EngineException expect(ErrorCode code, ThrowingCallable call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOf(EngineException.class);
    EngineException e = (EngineException) thrown;
    assertThat(e.code()).as("error code of: %s", e.getMessage()).isEqualTo(code);
    return e;
  }
}
