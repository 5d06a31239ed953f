package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class UpgradePathTest {

  private static final BreakingChangeCatalogue CATALOGUE = BreakingChangeCatalogue.bundled();
  private static final String LATEST_2_0 =
      CATALOGUE.latestPatch(new MinorVersion(2, 0)).orElseThrow().toString();

  private static PathCheck check(String imageTag, String target, String database) {
    return UpgradePath.check(
        Optional.ofNullable(imageTag), target, Optional.ofNullable(database), CATALOGUE);
  }

  @ParameterizedTest
  @CsvSource({
    // image tag, target, database: allowed, from the database when known
    "1.0.0,  1.12.1, ,       1.0.0",
    "1.9.3,  1.10.0, ,       1.9.3",
    "1.1.4,  1.2.0,  1.1.4,  1.1.4",
    "1.12.3, 2.0.0,  1.12.3, 1.12.3",
    "1.0.0,  2.0.0,  1.0.0,  1.0.0",
    "2.0.0,  2.1.0,  2.0.0,  2.0.0",
    "2.0.3,  2.1.0,  2.0.3,  2.0.3",
    "1.12.14, 2.0.8, 1.12.14, 1.12.14",
    "1.9.17, 2.0.8,  1.9.17, 1.9.17",
    "1.9.3,  2.0.3,  ,       1.9.3",
    "v1.9.3, 1.9.4,  ,       1.9.3",
  })
  void allowsUpgradesWithin1xAndTo20(String image, String target, String database, String from) {
    PathCheck result = check(image, target, database);

    assertThat(result)
        .isInstanceOfSatisfying(
            PathCheck.Allowed.class,
            allowed -> {
              assertThat(allowed.from()).hasToString(from);
              assertThat(allowed.to()).hasToString(target);
            });
  }

  @ParameterizedTest
  @CsvSource({
    "1.10.0, 1.9.3,  ",
    "2.0.0,  1.12.1, ",
    "1.5.0,  1.5.1,  1.6.0",
  })
  void refusesDowngradesUsingTheDatabaseWhenKnown(String image, String target, String database) {
    assertThat(check(image, target, database))
        .isInstanceOfSatisfying(
            PathCheck.Refused.class,
            refused -> {
              assertThat(refused.reason()).isEqualTo(FailureReason.DOWNGRADE);
              assertThat(refused.message()).contains(target).contains("restore a backup");
            });
  }

  @ParameterizedTest
  @CsvSource({
    "1.12.3, 2.1.0, 1.12.3",
    "1.5.0,  2.3.0, ",
    "2.1.0,  2.2.0, 1.12.3",
  })
  void requiresTheLatest20FirstFromBelow20(String image, String target, String database) {
    assertThat(check(image, target, database))
        .isInstanceOfSatisfying(
            PathCheck.Refused.class,
            refused -> {
              assertThat(refused.reason()).isEqualTo(FailureReason.INTERMEDIATE_VERSION_REQUIRED);
              assertThat(refused.message()).contains("Upgrade to " + LATEST_2_0 + " first");
            });
  }

  @ParameterizedTest
  @CsvSource({
    "1.9.3,   2.1.0, 1.9.3",
    "1.9.17,  2.1.0, ",
    "1.13.6,  2.1.0, 1.13.6",
    "2.0.8,   2.1.0, 1.12.14",
  })
  void aOneXDatabaseGoingPast20IsRefusedNamingTheLatest20(
      String image, String target, String database) {
    assertThat(check(image, target, database))
        .isInstanceOfSatisfying(
            PathCheck.Refused.class,
            refused -> {
              assertThat(refused.reason()).isEqualTo(FailureReason.INTERMEDIATE_VERSION_REQUIRED);
              assertThat(refused.message())
                  .contains("Upgrade to 2.0.8 first")
                  .contains("then to " + target)
                  .contains("--force does not bypass");
            });
  }

  @Test
  void from20xTheNext21IsAllowedWithTheUnreviewedMinorWarned() {
    PathCheck result = check("2.0.3", "2.1.0", "2.0.3");

    assertThat(result)
        .isInstanceOfSatisfying(
            PathCheck.Allowed.class, a -> assertThat(a.from()).hasToString("2.0.3"));
    assertThat(result.warnings())
        .extracting(PathWarning::code)
        .containsExactly(PathWarning.Code.TARGET_NEWER_THAN_CATALOGUE);
  }

  @Test
  void theLatestReleasesNeedNoCatalogueWarning() {
    assertThat(check("1.12.14", "2.0.8", "1.12.14").warnings()).isEmpty();
    assertThat(check("1.12.13", "1.13.6", "1.12.13").warnings()).isEmpty();
  }

  @Test
  void sameVersionIsNothingToDo() {
    assertThat(check("1.10.1", "1.10.1", "1.10.1")).isInstanceOf(PathCheck.AlreadyAtTarget.class);
    assertThat(check("1.10.1", "1.10.1", null)).isInstanceOf(PathCheck.AlreadyAtTarget.class);
    assertThat(check("latest", "1.10.1", "1.10.1")).isInstanceOf(PathCheck.AlreadyAtTarget.class);
  }

  @Test
  void databaseMigratedAheadOfTheImageStillNeedsTheRollout() {
    PathCheck result = check("1.9.3", "1.10.1", "1.10.1");

    assertThat(result).isInstanceOf(PathCheck.Allowed.class);
    assertThat(result.warnings())
        .extracting(PathWarning::code)
        .containsExactly(PathWarning.Code.VERSION_DISAGREEMENT);
  }

  @Test
  void disagreementIsReportedAndTheDatabaseDecides() {
    PathCheck result = check("1.9.3", "1.10.0", "1.9.1");

    assertThat(result)
        .isInstanceOfSatisfying(
            PathCheck.Allowed.class, a -> assertThat(a.from()).hasToString("1.9.1"));
    assertThat(result.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.code()).isEqualTo(PathWarning.Code.VERSION_DISAGREEMENT);
              assertThat(w.message()).contains("1.9.3").contains("1.9.1");
            });
  }

  @Test
  void aNonVersionImageTagIsFineWhenTheDatabaseKnows() {
    PathCheck result = check("latest", "1.10.0", "1.9.1");

    assertThat(result).isInstanceOf(PathCheck.Allowed.class);
    assertThat(result.warnings())
        .extracting(PathWarning::code)
        .containsExactly(PathWarning.Code.IMAGE_TAG_NOT_A_VERSION);
  }

  @ParameterizedTest
  @CsvSource({
    "latest, 1.10.0,          ,           'latest'",
    ",       1.10.0,          ,           'is not a version'",
    "1.9.0,  1.10,            ,           '1.10'",
    "1.9.0,  1.10.0.0,        ,           '1.10.0.0'",
    "1.9.0,  1.10.0-rc1,      ,           '1.10.0-rc1'",
    "1.9.0,  1.10.0,          1.9.0-ext,  '1.9.0-ext'",
  })
  void refusesWhatIsNotAVersionNamingIt(
      String image, String target, String database, String named) {
    assertThat(check(image, target, database))
        .isInstanceOfSatisfying(
            PathCheck.Refused.class,
            refused -> {
              assertThat(refused.reason()).isEqualTo(FailureReason.UNPARSEABLE_VERSION);
              assertThat(refused.message()).contains(named);
            });
  }

  @Test
  void aPatchNewerThanTheCatalogueIsAllowedWithAWarning() {
    PathCheck result = check("1.9.3", "1.10.999", null);

    assertThat(result).isInstanceOf(PathCheck.Allowed.class);
    assertThat(result.warnings())
        .extracting(PathWarning::code)
        .containsExactly(PathWarning.Code.TARGET_NEWER_THAN_CATALOGUE);
    assertThat(check("1.9.3", "1.10.0", null).warnings()).isEmpty();
  }
}
