package io.habitat.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Module boundaries of the test kit (docs/architecture.md, ADR 0004). */
class ArchitectureTest {

  private static final JavaClasses KIT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.habitat.test");

  @Test
  void onlyTheSimulationReachesIntoTheCoreInternals() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.habitat.test.simulation..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.habitat.core.internal..")
        .check(KIT);
  }

  @Test
  void theKitNeverImportsJGroups() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.jgroups..").check(KIT);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.habitat.test.(**)").should().beFreeOfCycles().check(KIT);
  }
}
