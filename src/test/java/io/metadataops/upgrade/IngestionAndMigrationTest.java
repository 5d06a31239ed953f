package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class IngestionAndMigrationTest {

  /**
   * By default the three-part tag, which the registry moves to the newest hotfix build of the
   * release (2.0.7 -> 2.0.7.2); four-part on request from 1.5, when the images got a fourth part.
   */
  @ParameterizedTest
  @CsvSource({
    "1.0.5,  1.0.5,   ",
    "1.4.8,  1.4.8,   ",
    "1.5.0,  1.5.0,   1.5.0.0",
    "1.10.1, 1.10.1,  1.10.1.0",
    "2.0.7,  2.0.7,   2.0.7.0",
  })
  void ingestionTagsFollowTheReleasesHotfixesUnlessFourPartsAreAsked(
      String server, String auto, String fourPart) {
    Version version = Version.parse(server);
    assertThat(IngestionImages.tagFor(version, IngestionImages.TagForm.AUTO)).isEqualTo(auto);
    if (fourPart == null) {
      assertThatThrownBy(() -> IngestionImages.tagFor(version, IngestionImages.TagForm.FOUR_PART))
          .hasMessageContaining("no four-part tag")
          .hasMessageContaining("tagForm");
    } else {
      assertThat(IngestionImages.tagFor(version, IngestionImages.TagForm.FOUR_PART))
          .isEqualTo(fourPart);
    }
  }

  @Test
  void ingestionImageKeepsRegistryAndRepository() {
    ImageReference current =
        ImageReference.parse("docker.getcollate.io/openmetadata/ingestion:1.4.8");

    assertThat(IngestionImages.imageFor(current, Version.of(1, 5, 1), IngestionImages.TagForm.AUTO))
        .hasToString("docker.getcollate.io/openmetadata/ingestion:1.5.1");
    assertThat(
            IngestionImages.besideServer(
                ImageReference.parse("registry.example/mirror/openmetadata/server:1.12.14"),
                Version.of(2, 0, 8),
                IngestionImages.TagForm.AUTO))
        .hasToString("registry.example/mirror/openmetadata/ingestion:2.0.8");
  }

  @Test
  void ingestionTagNeedsAServerVersion() {
    assertThatThrownBy(
            () -> IngestionImages.tagFor(Version.parse("1.5.0.0"), IngestionImages.TagForm.AUTO))
        .hasMessageContaining("'1.5.0.0'")
        .hasMessageContaining("MAJOR.MINOR.PATCH");
  }

  @ParameterizedTest
  @CsvSource({
    "1.0.0,  ./bootstrap/bootstrap_storage.sh, migrate-all",
    "1.2.5,  ./bootstrap/bootstrap_storage.sh, migrate-all",
    "1.3.0,  ./bootstrap/openmetadata-ops.sh,  migrate",
    "1.10.1, ./bootstrap/openmetadata-ops.sh,  migrate",
    "2.0.0,  ./bootstrap/openmetadata-ops.sh,  migrate",
  })
  void migrationCommandFollowsTheTargetVersionAndNeverForces(
      String target, String program, String argument) {
    MigrationCommand command = MigrationCommand.forTarget(Version.parse(target));

    assertThat(command.command()).containsExactly(program, argument).doesNotContain("--force");
    assertThat(command.workingDir()).isEqualTo("/opt/openmetadata");
  }

  @Test
  void anOverrideFromTheSpecWins() {
    List<String> override = List.of("./bootstrap/openmetadata-ops.sh", "migrate", "--debug");

    assertThat(MigrationCommand.resolve(Version.of(1, 10, 0), Optional.of(override)).command())
        .isEqualTo(override);
    assertThat(MigrationCommand.resolve(Version.of(1, 10, 0), Optional.of(List.of())))
        .isEqualTo(MigrationCommand.forTarget(Version.of(1, 10, 0)));
  }
}
