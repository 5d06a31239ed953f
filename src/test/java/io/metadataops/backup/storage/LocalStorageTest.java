package io.metadataops.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metadataops.backup.EngineException;
import io.metadataops.backup.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Publishing a file, synced (file, then directory) and not. Whether the bytes reached the disk
 * cannot be observed without crashing the machine; what is tested is that syncing a new file in a
 * new directory works on a real filesystem and changes nothing else.
 */
@Tag("unit")
class LocalStorageTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void publishesTheWholeFileInANewDirectoryAndNeverOverwritesIt(boolean sync) throws Exception {
    LocalStorage storage = new LocalStorage(sync);
    Location location = Location.parse(dir.resolve("new/nested/dump.sql").toString());
    byte[] content = "CREATE TABLE t (id INT);\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);

    try (StorageOutput out = storage.create(location)) {
      out.write(content, 0, content.length / 2);
      out.write(content, content.length / 2, content.length - content.length / 2);
    }

    assertThat(Files.readAllBytes(dir.resolve("new/nested/dump.sql"))).isEqualTo(content);
    assertThat(storage.stat(location))
        .get()
        .extracting(Storage.ObjectInfo::size)
        .isEqualTo((long) content.length);
    assertThatThrownBy(() -> storage.create(location))
        .isInstanceOfSatisfying(
            EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    assertThat(Files.readAllBytes(dir.resolve("new/nested/dump.sql"))).isEqualTo(content);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anAbortedFileIsRemoved(boolean sync) throws Exception {
    LocalStorage storage = new LocalStorage(sync);
    Location location = Location.parse(dir.resolve("aborted.sql").toString());
    StorageOutput out = storage.create(location);
    out.write(new byte[1024 * 1024]);

    out.abort();
    out.close();

    assertThat(dir.resolve("aborted.sql")).doesNotExist();
  }
}
