package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("unit")
class BreakingChangeCatalogueTest {

  private static final BreakingChangeCatalogue CATALOGUE = BreakingChangeCatalogue.bundled();

  @Test
  void bundledCatalogueCoversTheDomainTable() {
    assertThat(CATALOGUE.entries())
        .extracting(e -> e.minor().toString())
        .containsExactly(
            "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.9", "1.10", "1.11", "1.12",
            "2.0");
    assertThat(CATALOGUE.entries()).allSatisfy(e -> assertThat(e.changes()).isNotEmpty());
    assertThat(CATALOGUE.asOf()).isNotNull();
  }

  @Test
  void bundledCatalogueKnowsALatestPatchPerMinor() {
    for (String minor : List.of("1.0", "1.5", "1.8", "1.9", "1.10", "1.12", "2.0")) {
      assertThat(CATALOGUE.latestPatch(MinorVersion.parse(minor)))
          .hasValueSatisfying(v -> assertThat(v.minorVersion()).hasToString(minor));
    }
    assertThat(CATALOGUE.newestMinor()).hasToString("2.0");
  }

  @Test
  void changesTheOperatorHandlesNeedNoApproval() {
    assertThat(change("1.3/ops-migration-command").requiresApproval()).isFalse();
    assertThat(change("1.5/ingestion-four-part-tags").requiresApproval()).isFalse();
    assertThat(change("1.2/search-reindex").requiresApproval()).isTrue();
    assertThat(change("1.12/mysql-8-0-42").requiresApproval()).isTrue();
    assertThat(change("1.3/runs-as-uid-1000").requiresApproval()).isTrue();
  }

  @Test
  void onlyTwoZeroIsAMandatoryStop() {
    assertThat(CATALOGUE.entries())
        .filteredOn(CatalogueEntry::mandatoryStop)
        .extracting(e -> e.minor().toString())
        .containsExactly("2.0");
  }

  @ParameterizedTest
  @CsvSource({
    "1.1.4,  1.2.0,  1.2",
    "1.2.0,  1.2.5,  ''",
    "1.9.0,  1.10.1, 1.10",
    "1.7.0,  1.9.0,  1.9",
    "1.0.0,  2.0.0,  1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.9 1.10 1.11 1.12 2.0",
    "1.0.5,  1.0.5,  ''",
    "1.12.3, 2.0.0,  2.0",
    "2.0.0,  2.1.0,  2.1",
    "1.12.0, 2.3.1,  2.0 2.3",
  })
  void crossedSlicesFromExclusiveToInclusiveByMinor(String from, String to, String minors) {
    List<CatalogueEntry> crossed = CATALOGUE.crossed(Version.parse(from), Version.parse(to));

    assertThat(crossed)
        .extracting(e -> e.minor().toString())
        .containsExactlyElementsOf(minors.isEmpty() ? List.of() : Arrays.asList(minors.split(" ")));
  }

  @Test
  void aMinorNewerThanTheCatalogueNeedsAnApproval() {
    List<CatalogueEntry> crossed = CATALOGUE.crossed(Version.of(2, 0, 0), Version.of(2, 1, 0));

    assertThat(crossed)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.changes())
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.id()).isEqualTo("2.1/not-in-catalogue");
                          assertThat(c.requiresApproval()).isTrue();
                          assertThat(c.summary()).contains(CATALOGUE.asOf().toString());
                        }));
  }

  @Test
  void pendingApprovalsAreThoseNeedingApprovalNotYetApproved() {
    List<CatalogueEntry> crossed = CATALOGUE.crossed(Version.of(1, 1, 4), Version.of(1, 3, 0));

    ApprovalReview none = BreakingChangeCatalogue.pendingApprovals(crossed, Set.of());
    ApprovalReview some =
        BreakingChangeCatalogue.pendingApprovals(
            crossed, List.of("1.2/search-reindex", "1.3/alerts-deleted"));

    assertThat(none.pending())
        .containsExactly(
            "1.2/search-reindex",
            "1.2/java-17",
            "1.2/sso-bots-removed",
            "1.2/orphan-queries-deleted",
            "1.3/alerts-deleted",
            "1.3/secrets-manager-db",
            "1.3/runs-as-uid-1000")
        .doesNotContain("1.3/ops-migration-command");
    assertThat(none.isComplete()).isFalse();
    assertThat(some.pending())
        .doesNotContain("1.2/search-reindex", "1.3/alerts-deleted")
        .hasSize(5);
    assertThat(some.unmatched()).isEmpty();
  }

  @Test
  void everyNeededApprovalCompletesTheReview() {
    List<CatalogueEntry> crossed = CATALOGUE.crossed(Version.of(1, 9, 0), Version.of(1, 10, 1));

    ApprovalReview review = ApprovalReview.of(crossed, List.of("1.10/entity-status"));

    assertThat(review.isComplete()).isTrue();
    assertThat(review.pending()).isEmpty();
  }

  @Test
  void approvalsThatMatchNothingCrossedAreReported() {
    List<CatalogueEntry> crossed = CATALOGUE.crossed(Version.of(1, 1, 4), Version.of(1, 2, 0));

    ApprovalReview review =
        ApprovalReview.of(
            crossed, List.of("1.2/search-reindx", "1.5/owner-to-owners", "1.2/java-17"));

    assertThat(review.unmatched()).containsExactly("1.2/search-reindx", "1.5/owner-to-owners");
    assertThat(review.pending()).contains("1.2/search-reindex").doesNotContain("1.2/java-17");
  }

  @Test
  void readsACatalogueAndChecksItsConsistency() {
    String valid =
        """
        asOf: 2026-01-01
        latestPatches: [1.0.1, 1.1.2]
        minors:
          - minor: "1.1"
            mandatoryStop: true
            changes:
              - {id: 1.1/x, summary: s, action: a, requiresApproval: true}
        """;

    BreakingChangeCatalogue catalogue = read(valid);

    assertThat(catalogue.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.mandatoryStop()).isTrue());
    assertThat(catalogue.latestPatch(MinorVersion.parse("1.1"))).contains(Version.of(1, 1, 2));
  }

  static Stream<Arguments> inconsistentCatalogues() {
    String change = "{id: %s, summary: s, action: a, requiresApproval: true}";
    return Stream.of(
        arguments("latestPatches: [1.0.1, 1.0.2]\nminors: []", "two patches of 1.0"),
        arguments("latestPatches: [1.0.1.0]\nminors: []", "expected MAJOR.MINOR.PATCH"),
        arguments("latestPatches: []\nminors: []", "lists no releases"),
        arguments("minors: []", "latestPatches is missing"),
        arguments(
            "latestPatches: [1.0.1]\nminors: [{minor: '1.1', changes: []}]",
            "no entry in latestPatches"),
        arguments(
            "latestPatches: [1.0.1]\nminors: [{minor: '1.0', changes: ["
                + change.formatted("1.1/x")
                + "]}]",
            "must start with '1.0/'"),
        arguments(
            "latestPatches: [1.0.1]\nminors: [{minor: '1.0', changes: ["
                + change.formatted("1.0/x")
                + ", "
                + change.formatted("1.0/x")
                + "]}]",
            "listed twice"),
        arguments("latestPatches: [1.0]\nminors: []", "'1.0' is not an OpenMetadata version"));
  }

  @ParameterizedTest
  @MethodSource("inconsistentCatalogues")
  void rejectsAnInconsistentCatalogue(String body, String problem) {
    assertThatThrownBy(() -> read("asOf: 2026-01-01\n" + body)).hasMessageContaining(problem);
  }

  private static BreakingChange change(String id) {
    return CATALOGUE.entries().stream()
        .flatMap(e -> e.changes().stream())
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static BreakingChangeCatalogue read(String yaml) {
    try {
      return BreakingChangeCatalogue.read(
          new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
