package io.metadataops.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples use only fields the API types know (a typo would be silently pruned otherwise). */
@Tag("unit")
class ExamplesTest {

  private static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @ParameterizedTest
  @CsvSource({
    "backup.yaml, io.metadataops.api.MetadataBackup",
    "backup-postgresql.yaml, io.metadataops.api.MetadataBackup",
    "restore.yaml, io.metadataops.api.MetadataRestore",
    "restore-postgresql.yaml, io.metadataops.api.MetadataRestore",
    "upgrade.yaml, io.metadataops.api.MetadataUpgrade",
    "upgrade-postgresql.yaml, io.metadataops.api.MetadataUpgrade",
    "gitops/upgrade.yaml, io.metadataops.api.MetadataUpgrade",
    "upgrade-chart-2-0.yaml, io.metadataops.api.MetadataUpgrade"
  })
  void exampleMapsOntoTheApiTypes(String file, Class<?> type) throws IOException {
    Object parsed = STRICT.readValue(Files.readString(Path.of("examples", file)), type);
    assertThat(parsed).isInstanceOf(type);
  }
}
