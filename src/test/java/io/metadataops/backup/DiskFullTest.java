package io.metadataops.backup;

import static io.metadataops.backup.FailureModesTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.storage.S3Settings;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real full disk: a 1 MB tmpfs (the test machines run as root, like hack/db/up.sh needs). The
 * backup fails with exit 20 and a message saying so, and leaves no partial dump behind.
 */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class DiskFullTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MARIADB", "POSTGRES"})
  void fullDiskIsAStorageErrorAndLeavesNoPartialDump(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec source = databases.fresh(server);
    Fixtures.create(server, source);
    Path volume = Files.createDirectory(dir.resolve("small-volume"));
    run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", volume.toString());
    try {
      Path dump = volume.resolve("openmetadata.sql");
      EngineException e =
          expect(
              ErrorCode.STORAGE,
              () ->
                  new BackupEngine(S3Settings.defaults(), Progress.none())
                      .backup(source, BackupOptions.to(dump.toString())));
      assertThat(e.getMessage()).contains("disk full").contains(dump.toString());
      assertThat(dump).doesNotExist();
      assertThat(Path.of(dump + ".manifest.json")).doesNotExist();
    } finally {
      run("umount", volume.toString());
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as(
            "%s failed (this test needs root to mount a tmpfs): %s",
            String.join(" ", command), output)
        .isZero();
  }
}
