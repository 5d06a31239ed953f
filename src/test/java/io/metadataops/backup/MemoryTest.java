package io.metadataops.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.manifest.Manifest;
import io.metadataops.backup.manifest.ManifestCodec;
import io.metadataops.backup.sql.ChecksumAlgorithm;
import io.metadataops.backup.sql.TableDigest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MemoryTest {

  private static Manifest manifest(String tables) {
    String json =
        "{\"formatVersion\":1,\"engine\":\"postgresql\",\"serverVersion\":\"15\","
            + "\"database\":\"db\",\"compression\":\"gzip\","
            + "\"checksumAlgorithm\":\"murmur3-128-multiset-v2\",\"sizeBytes\":1,\"sha256\":\"x\","
            + "\"tables\":["
            + tables
            + "]}";
    return ManifestCodec.read(json.getBytes(StandardCharsets.UTF_8), "test.manifest.json");
  }

  @Test
  void aManifestWrittenBeforeTheLargestRowWasRecordedRestoresAsBefore() {
    Manifest old = manifest("{\"name\":\"big\",\"rows\":1,\"checksum\":\"00\"}");
    assertThat(old.tables().get(0).largestRowBytes()).isNull();
    assertThatCode(() -> Memory.requireRoomFor(old)).doesNotThrowAnyException();
  }

  @Test
  void rowsThisHeapCannotReadBackAreRefusedNamingTheTableAndTheHeapTheyNeed() {
    long tooBig = Memory.largestRow() + (1L << 20);
    Manifest manifest =
        manifest(
            "{\"name\":\"small\",\"rows\":1,\"checksum\":\"00\",\"largestRowBytes\":100},"
                + "{\"name\":\"big\",\"rows\":1,\"checksum\":\"00\",\"largestRowBytes\":"
                + tooBig
                + "}");
    assertThatThrownBy(() -> Memory.requireRoomFor(manifest))
        .isInstanceOfSatisfying(
            EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
        .hasMessageContaining(
            "table big (rows up to "
                + ((tooBig + (1L << 20) - 1) >> 20)
                + " MB need a heap of "
                + ((Memory.heapFor(tooBig) + (1L << 20) - 1) >> 20)
                + " MB)")
        .hasMessageNotContaining("table small")
        .hasMessageContaining("nothing was restored");
  }

  @Test
  void rowsWithinTheRuleRestore() {
    Manifest manifest =
        manifest(
            "{\"name\":\"big\",\"rows\":1,\"checksum\":\"00\",\"largestRowBytes\":"
                + Memory.largestRow()
                + "}");
    assertThatCode(() -> Memory.requireRoomFor(manifest)).doesNotThrowAnyException();
  }

  @Test
  void theDigestKeepsTheLargestRowOverFieldsWholeRowsAndParts() {
    TableDigest fields = new TableDigest(ChecksumAlgorithm.CURRENT);
    fields.field(new byte[1000]);
    fields.field((byte[]) null);
    fields.endRow();
    fields.field(new byte[10]);
    fields.endRow();
    // Each field: a 5-byte header and its bytes; a NULL one byte.
    assertThat(fields.largestRow()).isEqualTo(1006);

    TableDigest copyRows = new TableDigest(ChecksumAlgorithm.CURRENT);
    copyRows.wholeRow(new byte[5000], 0, 3000);
    copyRows.wholeRow(new byte[20], 0, 20);
    assertThat(copyRows.largestRow()).isEqualTo(3000);
    assertThat(fields.add(copyRows).largestRow()).isEqualTo(3000);
  }
}
