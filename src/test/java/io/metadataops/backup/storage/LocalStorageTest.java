package io.metadataops.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metadataops.backup.Compression;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Publishing and reading back a file, synced (file, then directory) and not, with direct I/O and
 * through the page cache. Whether the bytes reached the disk cannot be observed without crashing
 * the machine; what is tested is that every way of writing and reading works on a real filesystem
 * and keeps every byte, whatever the size against the blocks that direct I/O writes.
 */
@Tag("unit")
class LocalStorageTest {

  @TempDir Path dir;

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of(true, true),
        Arguments.of(false, true),
        Arguments.of(true, false),
        Arguments.of(false, false));
  }

  static Stream<Arguments> sizes() {
    int block = WriteBehind.BLOCK;
    return Stream.of(0, 1, 4095, 4096, 250_001, block, block + 1, 2 * block + 12_345)
        .flatMap(size -> Stream.of(Arguments.of(size, true), Arguments.of(size, false)));
  }

  @ParameterizedTest(name = "sync={0} directIo={1}")
  @MethodSource("modes")
  void publishesTheWholeFileInANewDirectoryAndNeverOverwritesIt(boolean sync, boolean directIo)
      throws Exception {
    LocalStorage storage = new LocalStorage(sync, directIo);
    Location location = Location.parse(dir.resolve("new/nested/dump.sql").toString());
    byte[] content = "CREATE TABLE t (id INT);\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);

    try (StorageOutput out = storage.create(location)) {
      out.write(content, 0, content.length / 2);
      out.write(content[content.length / 2]);
      out.write(content, content.length / 2 + 1, content.length - content.length / 2 - 1);
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

  @ParameterizedTest(name = "{0} bytes, directIo={1}")
  @MethodSource("sizes")
  void writesAndReadsBackEveryByteWhateverTheSize(int size, boolean directIo) throws Exception {
    LocalStorage storage = new LocalStorage(false, directIo);
    Location location = Location.parse(dir.resolve("dump-" + size + ".sql").toString());
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);

    try (StorageOutput out = storage.create(location)) {
      for (int off = 0; off < size; off += 65_537) {
        out.write(content, off, Math.min(65_537, size - off));
      }
    }
    ByteArrayOutputStream readBack = new ByteArrayOutputStream();
    try (InputStream in = storage.open(location)) {
      assertThat(in.available()).isEqualTo(size);
      byte[] buffer = new byte[100_000];
      int n;
      while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
        readBack.write(buffer, 0, n);
      }
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.available()).isZero();
    }

    assertThat(Files.size(dir.resolve("dump-" + size + ".sql"))).isEqualTo(size);
    assertThat(Files.readAllBytes(dir.resolve("dump-" + size + ".sql"))).isEqualTo(content);
    assertThat(readBack.toByteArray()).isEqualTo(content);
  }

  @ParameterizedTest(name = "directIo={0}")
  @ValueSource(booleans = {true, false})
  void aGzipFileOfSeveralMembersIsReadToTheEnd(boolean directIo) throws Exception {
    LocalStorage storage = new LocalStorage(false, directIo);
    Location location = Location.parse(dir.resolve("concatenated.sql.gz").toString());
    byte[] first = new byte[3 * WriteBehind.BLOCK + 5];
    byte[] second = new byte[WriteBehind.BLOCK / 2];
    new Random(1).nextBytes(first);
    new Random(2).nextBytes(second);
    try (StorageOutput out = storage.create(location)) {
      for (byte[] member : List.of(first, second)) {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(gzip)) {
          zip.write(member);
        }
        gzip.writeTo(out);
      }
    }

    byte[] read;
    try (InputStream in = Compression.unwrap(storage.open(location))) {
      read = in.readAllBytes();
    }

    assertThat(read.length).isEqualTo(first.length + second.length);
    assertThat(Arrays.copyOfRange(read, 0, first.length)).isEqualTo(first);
    assertThat(Arrays.copyOfRange(read, first.length, read.length)).isEqualTo(second);
  }

  @ParameterizedTest(name = "sync={0} directIo={1}")
  @MethodSource("modes")
  void anAbortedFileIsRemoved(boolean sync, boolean directIo) throws Exception {
    LocalStorage storage = new LocalStorage(sync, directIo);
    Location location = Location.parse(dir.resolve("aborted.sql").toString());
    StorageOutput out = storage.create(location);
    out.write(new byte[3 * WriteBehind.BLOCK + 17]);

    out.abort();
    out.close();

    assertThat(dir.resolve("aborted.sql")).doesNotExist();
  }

  @ParameterizedTest(name = "directIo={0}")
  @ValueSource(booleans = {true, false})
  void aMissingFileIsNamedWithTheFix(boolean directIo) {
    LocalStorage storage = new LocalStorage(false, directIo);
    Location location = Location.parse(dir.resolve("missing.sql").toString());

    assertThatThrownBy(() -> storage.open(location))
        .isInstanceOfSatisfying(
            EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("missing.sql does not exist: check --input/--location");
  }
}
