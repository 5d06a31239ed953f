package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
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
            "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11",
            "1.12", "1.13", "2.0");
    assertThat(CATALOGUE.entries()).allSatisfy(e -> assertThat(e.changes()).isNotEmpty());
    assertThat(CATALOGUE.asOf()).isNotNull();
  }

  @Test
  void bundledCatalogueKnowsALatestPatchPerMinor() {
    for (String minor : List.of("1.0", "1.5", "1.8", "1.9", "1.10", "1.12", "1.13", "2.0")) {
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
    assertThat(change("2.0/migration-baseline").requiresApproval()).isFalse();
    assertThat(change("1.13/stop-all-servers-quartz").requiresApproval()).isTrue();
    assertThat(change("1.13/postgres-fqnhash-index-rebuild").requiresApproval()).isTrue();
    assertThat(change("2.0/llm-configuration").requiresApproval()).isTrue();
  }

  @Test
  void announcementsWithNothingToDoNowNeedNoApproval() {
    assertThat(change("1.13/search-index-app-weekly").requiresApproval()).isFalse();
    assertThat(change("2.0/internal-airflow-deprecated").requiresApproval()).isFalse();
    assertThat(change("2.0/internal-airflow-deprecated").summary()).contains("2.1");
  }

  @Test
  void java21BelongsTo18NotTo112() {
    assertThat(ids(CATALOGUE.crossed(Version.of(1, 7, 5), Version.of(1, 8, 12))))
        .contains("1.8/java-21", "1.8/dropwizard-4", "1.8/create-test-case-test-suite-removed");
    assertThat(ids(CATALOGUE.crossed(Version.of(1, 8, 12), Version.of(1, 12, 14))))
        .noneMatch(id -> id.contains("java-21"));
    assertThat(ids(CATALOGUE.crossed(Version.of(1, 11, 14), Version.of(1, 12, 14))))
        .containsExactly(
            "1.12/mysql-8-0-42",
            "1.12/search-engine-minimums",
            "1.12/postgresql-15",
            "1.12/helm-pipeline-service-client-config",
            "1.12/data-contract-schema");
    assertThat(change("1.12/search-engine-minimums").summary())
        .contains("Elasticsearch 9", "9.3", "OpenSearch 3", "3.4");
  }

  @Test
  void from112To208ListsThe113And20Changes() {
    List<CatalogueEntry> crossed = CATALOGUE.crossed(Version.of(1, 12, 14), Version.of(2, 0, 8));

    assertThat(ids(crossed))
        .containsExactly(
            "1.13/stop-all-servers-quartz",
            "1.13/iceberg-connector-removed",
            "1.13/profiler-sampling-fields-removed",
            "1.13/webhook-auth-type",
            "1.13/trigger-permission",
            "1.13/python-3-10-to-3-12",
            "1.13/postgres-fqnhash-index-rebuild",
            "1.13/search-index-app-weekly",
            "2.0/migration-baseline",
            "2.0/ingestion-python-3-12",
            "2.0/great-expectations-0x-removed",
            "2.0/databricks-pipeline-auth-type",
            "2.0/chrome-plugin-redirect-uris",
            "2.0/knowledge-center-urls",
            "2.0/profiler-dynamic-sampling",
            "2.0/llm-configuration",
            "2.0/internal-airflow-deprecated");
    assertThat(ApprovalReview.of(crossed, Set.of()).pending())
        .doesNotContain(
            "1.13/search-index-app-weekly",
            "2.0/migration-baseline",
            "2.0/internal-airflow-deprecated")
        .hasSize(14);
  }

  @Test
  void latestPatchesAreThoseOfTheTwoZeroLine() {
    assertThat(CATALOGUE.asOf()).isAfterOrEqualTo(LocalDate.of(2026, 11, 1));
    for (String patch : List.of("1.9.17", "1.10.15", "1.11.14", "1.12.14", "1.13.6", "2.0.8")) {
      Version version = Version.parse(patch);
      assertThat(CATALOGUE.latestPatch(version.minorVersion())).contains(version);
      assertThat(CATALOGUE.isNewerThanKnown(version)).isFalse();
    }
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
    "1.7.0,  1.9.0,  1.8 1.9",
    "1.0.0,  2.0.0,  1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 1.10 1.11 1.12 1.13 2.0",
    "1.0.5,  1.0.5,  ''",
    "1.12.3, 2.0.0,  1.13 2.0",
    "1.12.14, 2.0.8, 1.13 2.0",
    "1.13.6, 2.0.8,  2.0",
    "2.0.0,  2.1.0,  2.1",
    "2.0.3,  2.0.8,  ''",
    "1.12.0, 2.3.1,  1.13 2.0 2.3",
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

  private static List<String> ids(List<CatalogueEntry> crossed) {
    return crossed.stream().flatMap(e -> e.changes().stream()).map(BreakingChange::id).toList();
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
