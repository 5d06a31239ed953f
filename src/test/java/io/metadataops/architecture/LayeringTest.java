package io.metadataops.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One room per concern: the backup engine runs in Jobs and knows nothing of Kubernetes, the upgrade
 * planner is pure logic, and no two packages need each other.
 */
@Tag("unit")
class LayeringTest {

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.metadataops");
  }

  @Test
  void theEngineImportsNoKubernetesQuarkusOrOperatorPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.metadataops.backup..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.fabric8..",
            "io.javaoperatorsdk..",
            "io.quarkus..",
            "io.quarkiverse..",
            "jakarta.enterprise..",
            "jakarta.inject..",
            "io.metadataops.api..",
            "io.metadataops.controller..",
            "io.metadataops.k8s..",
            "io.metadataops.operator..",
            "io.metadataops.upgrade..")
        .check(main);
  }

  @Test
  void thePlannerImportsNoFabric8ApiK8sOrController() {
    noClasses()
        .that()
        .resideInAPackage("io.metadataops.upgrade..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.fabric8..",
            "io.javaoperatorsdk..",
            "io.quarkus..",
            "io.metadataops.api..",
            "io.metadataops.controller..",
            "io.metadataops.k8s..",
            "io.metadataops.operator..")
        .check(main);
  }

  @Test
  void theApiIsOnlyResourceClasses() {
    noClasses()
        .that()
        .resideInAPackage("io.metadataops.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.metadataops.backup..",
            "io.metadataops.controller..",
            "io.metadataops.k8s..",
            "io.metadataops.operator..",
            "io.metadataops.upgrade..")
        .check(main);
  }

  @Test
  void theConditionVocabularyDependsOnNothingOfTheOperator() {
    noClasses()
        .that()
        .resideInAPackage("io.metadataops.conditions..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("io.metadataops.conditions..", "java..")
        .check(main);
  }

  @Test
  void theBuildersDoNotReachIntoTheControllers() {
    noClasses()
        .that()
        .resideInAPackage("io.metadataops.k8s..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.metadataops.controller..", "io.metadataops.operator..")
        .check(main);
  }

  @ParameterizedTest
  @ValueSource(strings = {"backup", "restore", "schedule", "upgrade"})
  void aControllerDoesNotReachIntoAnotherKindsController(String kind) {
    String[] others =
        Stream.of("backup", "restore", "schedule", "upgrade")
            .filter(other -> !other.equals(kind))
            .map(other -> "io.metadataops.controller." + other + "..")
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("io.metadataops.controller." + kind + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .check(main);
  }

  @Test
  void nothingButTheWiringDependsOnTheWiring() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.metadataops.operator..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.metadataops.operator..")
        .check(main);
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.metadataops.(**)").should().beFreeOfCycles().check(main);
  }
}
