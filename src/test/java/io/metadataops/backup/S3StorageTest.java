package io.metadataops.backup;

import static io.metadataops.backup.FailureModesTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Digests;
import io.metadataops.backup.testing.Fixtures;
import io.metadataops.backup.testing.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Backups streamed to S3-compatible storage (s3proxy) and restored from it. */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class S3StorageTest {

  private static S3Server s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = new S3Server();
    s3.createBucket("backups");
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void roundTripThroughS3WithMultipartUpload(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec source = databases.fresh(server);
    Fixtures.create(server, source);
    BackupEngine engine = new BackupEngine(s3.settings(), Progress.none());
    // Uncompressed so that the dump spans several multipart parts.
    String location = "s3://backups/om/" + server + "/openmetadata-20261125T0101Z.sql";

    Summary backup = engine.backup(source, BackupOptions.to(location));

    assertThat(backup.sizeBytes()).isGreaterThan(2L * 8 * 1024 * 1024);
    assertThat(backup.manifestLocation()).isEqualTo(location + ".manifest.json");
    String key = "om/" + server + "/openmetadata-20261125T0101Z.sql";
    assertThat(s3.exists("backups", key)).isTrue();
    assertThat(s3.exists("backups", key + ".manifest.json")).isTrue();

    expect(ErrorCode.ALREADY_EXISTS, () -> engine.backup(source, BackupOptions.to(location)));

    assertThat(engine.verify(null, location, null).status()).isEqualTo("Succeeded");
    ConnectionSpec target = databases.fresh(server);
    Summary restore = engine.restore(target, RestoreOptions.from(location));
    assertThat(restore.rows()).isEqualTo(backup.rows());
    assertThat(Digests.of(target)).isEqualTo(Digests.of(source));

    engine.delete(location);
    assertThat(s3.exists("backups", key)).isFalse();
    assertThat(s3.exists("backups", key + ".manifest.json")).isFalse();
    expect(ErrorCode.NOT_FOUND, () -> engine.restore(target, RestoreOptions.from(location)));
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB"})
  void missingBucketIsAStorageErrorNamingTheBucket(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec source = databases.fresh(server);
    BackupEngine engine = new BackupEngine(s3.settings(), Progress.none());

    EngineException e =
        expect(
            ErrorCode.STORAGE,
            () -> engine.backup(source, BackupOptions.to("s3://no-such-bucket/x.sql.gz")));
    assertThat(e.getMessage()).contains("no-such-bucket").contains("does not exist");
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB"})
  void unreachableEndpointIsAStorageError(DbServer server, Databases databases) {
    ConnectionSpec source = databases.fresh(server);
    BackupEngine engine =
        new BackupEngine(
            new io.metadataops.backup.storage.S3Settings("http://127.0.0.1:1", null, true),
            Progress.none());
    expect(ErrorCode.STORAGE, () -> engine.backup(source, BackupOptions.to("s3://b/x.sql.gz")));
  }
}
