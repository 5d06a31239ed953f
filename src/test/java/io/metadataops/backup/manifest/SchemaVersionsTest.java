package io.metadataops.backup.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.backup.manifest.SchemaVersions.ChangeLogRow;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SchemaVersionsTest {

  private static ChangeLogRow row(String version) {
    return new ChangeLogRow(version, null);
  }

  @Test
  void comparesNumericallyNotAsStrings() {
    assertThat(SchemaVersions.compare("1.9.9", "1.10.0")).isNegative();
    assertThat(SchemaVersions.compare("1.10.0", "1.9.9")).isPositive();
    assertThat(SchemaVersions.compare("2.0.0", "1.12.3")).isPositive();
    assertThat(
            SchemaVersions.installedVersion(
                List.of(row("1.9.9"), row("1.10.0"), row("1.2.0"), row("0.0.14"))))
        .contains("1.10.0");
  }

  @Test
  void ignoresSuffixedAndMalformedRows() {
    assertThat(
            SchemaVersions.installedVersion(
                List.of(row("1.7.0"), row("1.8.0-extension"), row("banana"), row(null))))
        .contains("1.7.0");
    assertThat(SchemaVersions.installedVersion(List.of(row("1.7.0-extension")))).isEmpty();
    assertThat(SchemaVersions.installedVersion(List.of())).isEmpty();
  }

  @Test
  void countsOnlyCompletedRowsWhenTheStatusColumnExists() {
    assertThat(
            SchemaVersions.installedVersion(
                List.of(
                    new ChangeLogRow("2.0.0", "COMPLETED"),
                    new ChangeLogRow("2.0.1", "FAILED"),
                    new ChangeLogRow("2.0.2", ""))))
        .contains("2.0.0");
  }

  @Test
  void listsTheRowsA2xMigrationLeftUnfinishedAndNoneOfA1xChangeLog() {
    assertThat(
            SchemaVersions.unfinished(
                List.of(
                    new ChangeLogRow("2.0.6", "COMPLETED"),
                    new ChangeLogRow("2.0.7", "STARTED"),
                    new ChangeLogRow("2.0.7-extension", "FAILED"),
                    new ChangeLogRow("2.0.8", "")),
                10))
        .containsExactly("2.0.7 STARTED", "2.0.7-extension FAILED", "2.0.8 (no status)");
    assertThat(SchemaVersions.unfinished(List.of(row("1.9.3"), row("1.10.0")), 10)).isEmpty();
    assertThat(
            SchemaVersions.unfinished(
                List.of(
                    new ChangeLogRow("2.0.1", "FAILED"),
                    new ChangeLogRow("2.0.2", "FAILED"),
                    new ChangeLogRow("2.0.3", "FAILED")),
                2))
        .containsExactly("2.0.1 FAILED", "2.0.2 FAILED", "and 1 more");
  }
}
