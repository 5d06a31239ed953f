package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bundled catalogue says where each change comes from and is not older than the releases the
 * tests use: a stale catalogue warns about every real target ("newer than the catalogue") and
 * misses the breaking changes of the releases it does not know.
 */
@Tag("unit")
class CatalogueProvenanceTest {

  private static final BreakingChangeCatalogue CATALOGUE = BreakingChangeCatalogue.bundled();

  /** Where a source may point: the OpenMetadata site and the official Helm chart repository. */
  private static final List<String> SOURCE_SITES =
      List.of(
          "https://docs.open-metadata.org/",
          "https://github.com/open-metadata/openmetadata-helm-charts");

  /**
   * Release months of the releases tests use, from the OpenMetadata release notes
   * (https://docs.open-metadata.org/latest/releases/all-releases): the newest version the tests use
   * must be listed here, and the catalogue's asOf must not be older than its release.
   */
  private static final Map<String, YearMonth> RELEASED =
      Map.of(
          "2.0.0", YearMonth.of(2026, 8),
          "1.13.6", YearMonth.of(2026, 9),
          "2.0.8", YearMonth.of(2026, 11));

  /**
   * Made-up versions the tests use on purpose, not releases: a patch newer than the catalogue knows
   * (to test that warning) and an ordering example.
   */
  private static final Set<String> DELIBERATELY_UNRELEASED = Set.of("1.10.999", "1.2.9");

  /** An OpenMetadata server version in text: 1.x.y or 2.x.y, not part of a longer dotted number. */
  private static final Pattern SERVER_VERSION =
      Pattern.compile("(?<![\\w.])[12]\\.\\d{1,3}\\.\\d{1,3}(?!\\w)(?!\\.\\d)");

  private static final Pattern CHANGE_ID = Pattern.compile("^\\s*- id:\\s*(\\S+)\\s*$");
  private static final Pattern SOURCE = Pattern.compile("^\\s*# Source: .*?(https://\\S+)\\s*$");

  @Test
  void everyChangeNamesItsSourceAndVersion() {
    List<String> lines = bundledYaml().lines().toList();
    List<String> idsWithAComment = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher id = CHANGE_ID.matcher(lines.get(i));
      if (!id.matches()) {
        continue;
      }
      String changeId = id.group(1);
      idsWithAComment.add(changeId);
      String minor = changeId.substring(0, changeId.indexOf('/'));
      Optional<String> source = sourceAbove(lines, i);
      if (source.isEmpty()) {
        problems.add(changeId + ": no '# Source: ... https://...' comment right above it");
        continue;
      }
      Matcher url = SOURCE.matcher(source.get());
      if (!url.matches() || SOURCE_SITES.stream().noneMatch(url.group(1)::startsWith)) {
        problems.add(changeId + ": source is not on " + SOURCE_SITES + ": " + source.get().trim());
      }
      if (!mentionsMinor(source.get(), minor)) {
        problems.add(changeId + ": source does not name version " + minor);
      }
    }

    assertThat(problems).isEmpty();
    // Every change is written in the block form the check reads (none hides in a flow mapping).
    assertThat(idsWithAComment)
        .containsExactlyElementsOf(
            CATALOGUE.entries().stream()
                .flatMap(e -> e.changes().stream())
                .map(BreakingChange::id)
                .toList());
  }

  @Test
  void knowsEveryReleaseTheTestsUse() throws IOException {
    Map<Version, List<Path>> used = versionsUsedInTests();
    assertThat(used).as("versions found in src/test").isNotEmpty();

    List<String> unknown = new ArrayList<>();
    used.forEach(
        (version, files) -> {
          if (!DELIBERATELY_UNRELEASED.contains(version.toString())
              && CATALOGUE.isNewerThanKnown(version)) {
            unknown.add(version + " (in " + files + ")");
          }
        });

    assertThat(unknown)
        .as(
            "versions tests use that are newer than the catalogue's latestPatches: refresh the"
                + " catalogue (latestPatches, entries, asOf) from the release notes")
        .isEmpty();
  }

  @Test
  void asOfIsNotOlderThanTheNewestReleaseTheTestsUse() throws IOException {
    Version newest =
        versionsUsedInTests().keySet().stream()
            .filter(v -> !DELIBERATELY_UNRELEASED.contains(v.toString()))
            .filter(v -> !CATALOGUE.isNewerThanKnown(v))
            .max(Version::compareTo)
            .orElseThrow();

    assertThat(RELEASED)
        .as("release month of %s, the newest release the tests use", newest)
        .containsKey(newest.toString());
    assertThat(YearMonth.from(CATALOGUE.asOf()))
        .as("catalogue asOf against the release of %s", newest)
        .isAfterOrEqualTo(RELEASED.get(newest.toString()));
  }

  /**
   * Every server version written in the test sources and fixtures whose minor line the catalogue
   * knows (this class left out: its tables are not uses); versions of newer minors stand for
   * releases the catalogue cannot know.
   */
  private static Map<Version, List<Path>> versionsUsedInTests() throws IOException {
    Map<Version, List<Path>> used = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("src", "test"))) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(f -> !f.endsWith(CatalogueProvenanceTest.class.getSimpleName() + ".java"))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Matcher m = SERVER_VERSION.matcher(text);
      while (m.find()) {
        Version version = Version.parse(m.group());
        if (CATALOGUE.latestPatch(version.minorVersion()).isPresent()) {
          List<Path> in = used.computeIfAbsent(version, v -> new ArrayList<>());
          if (!in.contains(file)) {
            in.add(file);
          }
        }
      }
    }
    return used;
  }

  /** The "# Source:" line of the comment block directly above line {@code index}, if any. */
  private static Optional<String> sourceAbove(List<String> lines, int index) {
    for (int i = index - 1; i >= 0 && lines.get(i).trim().startsWith("#"); i--) {
      if (lines.get(i).trim().startsWith("# Source:")) {
        return Optional.of(lines.get(i));
      }
    }
    return Optional.empty();
  }

  /** True when the text names {@code minor} (1.1 in "1.1", "1.1.0", but not in "1.12"). */
  private static boolean mentionsMinor(String text, String minor) {
    return Pattern.compile("(?<![\\d.])" + Pattern.quote(minor) + "(?!\\d)").matcher(text).find();
  }

  private static String bundledYaml() {
    try (InputStream in =
        BreakingChangeCatalogue.class.getResourceAsStream(BreakingChangeCatalogue.RESOURCE)) {
      assertThat(in).as(BreakingChangeCatalogue.RESOURCE).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
