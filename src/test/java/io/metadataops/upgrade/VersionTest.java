package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class VersionTest {

  @ParameterizedTest
  @CsvSource({
    "1.9.3,      1.10.0",
    "1.2.9,      1.10.0",
    "1.10.9,     1.11.0",
    "1.12.13,    2.0.0",
    "0.0.99,     1.0.0",
    "1.5.0,      1.5.0.0",
    "1.5.0.0,    1.5.0.1",
    "1.5.0.9,    1.5.1.0",
    "1.5.1.2,    1.5.1.10",
    "1.7.0,      1.7.0-extension",
    "1.7.0-extension, 1.7.1",
  })
  void ordersNumerically(String lower, String higher) {
    Version low = Version.parse(lower);
    Version high = Version.parse(higher);

    assertThat(low).isLessThan(high);
    assertThat(high).isGreaterThan(low);
    assertThat(low.isBefore(high)).isTrue();
    assertThat(high.isAfter(low)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "1.10.0,          1, 10, 0, -1, ,          1.10.0",
    "v1.9.3,          1, 9,  3, -1, ,          1.9.3",
    "V2.0.0,          2, 0,  0, -1, ,          2.0.0",
    "1.5.0.0,         1, 5,  0, 0,  ,          1.5.0.0",
    "1.5.1.2,         1, 5,  1, 2,  ,          1.5.1.2",
    "1.7.0-extension, 1, 7,  0, -1, extension, 1.7.0-extension",
    "' 1.3.1 ',       1, 3,  1, -1, ,          1.3.1",
  })
  void parsesServerVersionsIngestionTagsAndSuffixes(
      String text, int major, int minor, int patch, int build, String suffix, String canonical) {
    Version version = Version.parse(text);

    assertThat(version.major()).isEqualTo(major);
    assertThat(version.minor()).isEqualTo(minor);
    assertThat(version.patch()).isEqualTo(patch);
    assertThat(version.build()).isEqualTo(build < 0 ? OptionalInt.empty() : OptionalInt.of(build));
    assertThat(version.suffix()).isEqualTo(Optional.ofNullable(suffix));
    assertThat(version.isPlain()).isEqualTo(suffix == null);
    assertThat(version).hasToString(canonical);
    assertThat(Version.parse(canonical)).isEqualTo(version);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "latest", "1", "1.10", "1.2.3.4.5", "1.a.0", "1.2.3-", "-1.2.3", "v", "1..2"})
  void rejectsBadInputNamingItAndTheExpectedForm(String text) {
    assertThatThrownBy(() -> Version.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("MAJOR.MINOR.PATCH");
    assertThat(Version.tryParse(text)).isEmpty();
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Version.parse(null)).hasMessageContaining("'null'");
  }

  @Test
  void minorVersionIsTheCatalogueKeyAndComparesNumerically() {
    assertThat(Version.parse("1.10.2").minorVersion()).isEqualTo(MinorVersion.parse("1.10"));
    assertThat(Version.parse("1.5.1.2").minorVersion()).hasToString("1.5");
    assertThat(MinorVersion.parse("1.9")).isLessThan(MinorVersion.parse("1.10"));
    assertThatThrownBy(() -> MinorVersion.parse("1.x"))
        .hasMessageContaining("'1.x'")
        .hasMessageContaining("MAJOR.MINOR");
  }

  @Test
  void serverReleaseIsPlainAndThreeParts() {
    assertThat(Version.parse("1.5.0").isServerRelease()).isTrue();
    assertThat(Version.parse("1.5.0.0").isServerRelease()).isFalse();
    assertThat(Version.parse("1.7.0-extension").isServerRelease()).isFalse();
  }

  @Test
  void schemaVersionIsTheHighestPlainChangeLogVersion() {
    List<String> changeLog =
        List.of("0.0.12", "1.1.0", "1.9.3", "1.10.0", "1.7.0-extension", "1.10.1", "garbage");
    List<String> upstreamBug = List.of("1.9.9", "1.10.0");

    assertThat(Version.highestPlain(changeLog)).contains(Version.of(1, 10, 1));
    assertThat(Version.highestPlain(upstreamBug)).contains(Version.of(1, 10, 0));
    assertThat(Version.highestPlain(List.of("1.12.0-extension"))).isEmpty();
    assertThat(Version.highestPlain(List.of())).isEmpty();
  }
}
