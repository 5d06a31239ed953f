package io.metadataops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metadataops.backup.common.ErrorCode;
import io.metadataops.backup.storage.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SummaryTest {

  private static final Instant T0 = Instant.parse("2026-11-25T01:01:00Z");

  @Test
  void longErrorsAreTruncatedBelowTheTerminationMessageLimit() throws Exception {
    for (String unit : new String[] {"x", "😀", "\"\\\n", "\u0001"}) {
      String message = unit.repeat(20_000);
      String line =
          Summary.started("restore", T0)
              .withLocations("s3://b/" + "k".repeat(200), "s3://b/m")
              .failed(ErrorCode.INTEGRITY, message, T0.plusSeconds(3))
              .toJsonLine();
      assertThat(line.getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(Summary.MAX_BYTES);
      assertThat(line).doesNotContain("\n");
      JsonNode json = new ObjectMapper().readTree(line);
      assertThat(json.get("errorCode").asText()).isEqualTo("INTEGRITY");
      assertThat(json.get("exitCode").asInt()).isEqualTo(30);
      assertThat(json.get("error").asText()).endsWith("[truncated]");
      assertThat(json.get("durationSeconds").asDouble()).isEqualTo(3.0);
    }
  }

  @Test
  void nullFieldsAreOmittedAndTimesAreIso8601() throws Exception {
    String line = Summary.started("delete", T0).succeeded(T0.plusMillis(1500)).toJsonLine();
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.has("sha256")).isFalse();
    assertThat(json.has("error")).isFalse();
    assertThat(json.get("status").asText()).isEqualTo("Succeeded");
    assertThat(json.get("startedAt").asText()).isEqualTo("2026-11-25T01:01:00Z");
  }

  @Test
  void locationsParse() {
    assertThat(Location.parse("s3://bucket/a/b.sql.gz"))
        .isEqualTo(new Location.S3("bucket", "a/b.sql.gz"));
    assertThat(Location.parse("file:///backups/x.sql"))
        .isEqualTo(new Location.Local(Path.of("/backups/x.sql")));
    assertThat(Location.parse("/backups/x.sql.gz").manifest().toString())
        .isEqualTo("/backups/x.sql.gz.manifest.json");
    assertThat(Compression.forName("x.sql.gz")).isEqualTo(Compression.GZIP);
    assertThat(Compression.forName("x.sql")).isEqualTo(Compression.NONE);
  }

  @Test
  void exitCodesAreTheDocumentedOnes() {
    assertThat(ErrorCode.USAGE.exitCode()).isEqualTo(2);
    assertThat(ErrorCode.UNREACHABLE.exitCode()).isEqualTo(10);
    assertThat(ErrorCode.STORAGE.exitCode()).isEqualTo(20);
    assertThat(ErrorCode.ALREADY_EXISTS.exitCode()).isEqualTo(21);
    assertThat(ErrorCode.MISMATCH.exitCode()).isEqualTo(31);
    assertThat(ErrorCode.SCHEMA_VERSION_MISMATCH.exitCode()).isEqualTo(33);
  }
}
