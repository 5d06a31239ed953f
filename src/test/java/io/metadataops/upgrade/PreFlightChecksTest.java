package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The target's requirements matrix against the database server and the search engine's image. */
@Tag("unit")
class PreFlightChecksTest {

  private static final BreakingChangeCatalogue CATALOGUE = BreakingChangeCatalogue.bundled();
  private static final Version TWO_ZERO = Version.parse("2.0.8");
  private static final long TWENTY_MB = 20L * 1024 * 1024;

  @Test
  void theMatrixOfALineIsTheLatestEntryUpToItFieldByField() {
    Requirements oneEleven = CATALOGUE.requirements(Version.parse("1.11.14"));
    assertThat(oneEleven.elasticsearch()).contains("8.0");
    assertThat(oneEleven.opensearch()).contains("2.0");
    assertThat(oneEleven.mysql()).isEmpty();

    Requirements twoZero = CATALOGUE.requirements(TWO_ZERO);
    assertThat(twoZero.mysql()).contains("8.0.42");
    assertThat(twoZero.postgresql()).contains("15");
    assertThat(twoZero.elasticsearch()).contains("9.0");
    assertThat(twoZero.opensearch()).contains("3.4");
    assertThat(twoZero.mysqlSortBufferBytes()).contains(TWENTY_MB);

    assertThat(CATALOGUE.requirements(Version.parse("1.10.1"))).isEqualTo(Requirements.NONE);
  }

  @Test
  void anOlderLineOfTheDatabaseStallsWithTheFix() {
    PreFlightChecks.Result result = database("mysql", "5.7.44-log", TWENTY_MB);

    assertThat(result.approvals()).isEmpty();
    assertThat(result.failing())
        .singleElement()
        .asString()
        .contains("MySQL 5.7.44-log is older than OpenMetadata 2.0.8 supports")
        .contains("Upgrade MySQL to 8.0.42 or later");
  }

  @Test
  void anOlderPatchOfTheRequiredLineNeedsAnApproval() {
    PreFlightChecks.Result result = database("mysql", "8.0.31", TWENTY_MB);

    assertThat(result.failing()).isEmpty();
    assertThat(result.approvals())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.id()).isEqualTo("2.0/mysql-version");
              assertThat(item.requiresApproval()).isTrue();
              assertThat(item.summary()).contains("MySQL 8.0.31").contains("8.0.42");
            });
    assertThat(database("mysql", "8.0.42", TWENTY_MB).approvals()).isEmpty();
    assertThat(database("mysql", "8.4.3", TWENTY_MB).approvals()).isEmpty();
  }

  @Test
  void aSortBufferBelowTwentyMegabytesStallsWithTheSettingToChange() {
    PreFlightChecks.Result result = database("mysql", "8.0.42", 262144L);

    assertThat(result.failing())
        .singleElement()
        .asString()
        .contains("sort_buffer_size is 262144 bytes")
        .contains("Out of sort memory")
        .contains("SET PERSIST sort_buffer_size = 20971520")
        .contains("sessionVariables=sort_buffer_size=20971520");
    assertThat(database("mysql", "8.0.42", TWENTY_MB).failing()).isEmpty();
  }

  @Test
  void postgresqlIsComparedByItsMajorVersion() {
    assertThat(database("postgresql", "15.10 (Debian 15.10-0+deb12u1)", null).failing()).isEmpty();
    assertThat(database("postgresql", "17.2", null).failing()).isEmpty();
    assertThat(database("postgresql", "14.11", null).failing())
        .singleElement()
        .asString()
        .contains("PostgreSQL 14.11")
        .contains("Upgrade PostgreSQL to 15 or later");
  }

  @Test
  void mariadbIsOutsideTheMatrixAndStillNeedsItsSortBuffer() {
    PreFlightChecks.Result result = database("mariadb", "10.11.6-MariaDB-0+deb12u1", 2097152L);

    assertThat(result.approvals())
        .extracting(BreakingChange::id)
        .containsExactly("2.0/mariadb-not-in-matrix");
    assertThat(result.failing()).singleElement().asString().contains("sort_buffer_size");
  }

  @Test
  void targetsBeforeTheMatrixCheckNothing() {
    PreFlightChecks.Result result =
        PreFlightChecks.check(
            Version.parse("1.10.1"),
            CATALOGUE.requirements(Version.parse("1.10.1")),
            Optional.of(new DatabaseServer("mysql", "5.7.44", Optional.of(1L), Optional.empty())),
            Optional.of("docker.elastic.co/elasticsearch/elasticsearch:7.17.0"));

    assertThat(result.failing()).isEmpty();
    assertThat(result.approvals()).isEmpty();
  }

  @Test
  void theSearchEngineIsJudgedByItsImage() {
    assertThat(search("docker.elastic.co/elasticsearch/elasticsearch:8.11.3").failing())
        .singleElement()
        .asString()
        .contains("Elasticsearch 8.11.3 is older than OpenMetadata 2.0.8 supports")
        .contains("reindex after the upgrade");
    assertThat(search("docker.elastic.co/elasticsearch/elasticsearch:9.3.0").failing()).isEmpty();
    assertThat(search("docker.elastic.co/elasticsearch/elasticsearch:9.3.0").approvals()).isEmpty();
    assertThat(search("opensearchproject/opensearch:2.19.1").failing()).hasSize(1);
    assertThat(search("opensearchproject/opensearch:3.1.0").approvals())
        .extracting(BreakingChange::id)
        .containsExactly("2.0/search-engine-version");
    assertThat(search("opensearchproject/opensearch:3.4.0").approvals()).isEmpty();
    assertThat(search("opensearchproject/opensearch:latest").approvals())
        .singleElement()
        .satisfies(item -> assertThat(item.summary()).contains("'latest'"));
    assertThat(search("registry.example/search/engine:1.0").approvals())
        .singleElement()
        .satisfies(item -> assertThat(item.summary()).contains("cannot tell"));
    assertThat(
            PreFlightChecks.check(
                    Version.parse("1.11.14"),
                    CATALOGUE.requirements(Version.parse("1.11.14")),
                    Optional.empty(),
                    Optional.of("docker.elastic.co/elasticsearch/elasticsearch:8.11.3"))
                .failing())
        .isEmpty();
  }

  @Test
  void versionsCompareNumerically() {
    assertThat(PreFlightChecks.leadingVersion("8.0.31-log")).contains(List.of(8, 0, 31));
    assertThat(PreFlightChecks.leadingVersion("v3.4")).contains(List.of(3, 4));
    assertThat(PreFlightChecks.leadingVersion("latest")).isEmpty();
    assertThat(PreFlightChecks.compare(List.of(8, 0, 9), List.of(8, 0, 42))).isNegative();
    assertThat(PreFlightChecks.compare(List.of(9), List.of(9, 0))).isZero();
    assertThat(PreFlightChecks.line(List.of(8, 0, 42))).containsExactly(8, 0);
    assertThat(PreFlightChecks.line(List.of(15))).containsExactly(15);
  }

  private static PreFlightChecks.Result database(String engine, String version, Long sortBuffer) {
    return PreFlightChecks.check(
        TWO_ZERO,
        CATALOGUE.requirements(TWO_ZERO),
        Optional.of(
            new DatabaseServer(engine, version, Optional.ofNullable(sortBuffer), Optional.empty())),
        Optional.empty());
  }

  private static PreFlightChecks.Result search(String image) {
    return PreFlightChecks.check(
        TWO_ZERO, CATALOGUE.requirements(TWO_ZERO), Optional.empty(), Optional.of(image));
  }
}
