package io.habitat.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module and package boundaries of docs/architecture.md, checked on the compiled classes. */
class ArchitectureTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.habitat.core");

  @Test
  void coreNeverImportsJGroups() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.jgroups..").check(CORE);
  }

  @Test
  void theSpiAndValueTypesDoNotReachIntoTheImplementation() {
    noClasses()
        .that()
        .resideInAnyPackage("io.habitat.core.spi..", "io.habitat.core.event..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.habitat.core.internal..")
        .check(CORE);
  }

  @Test
  void jsonAndMetricsUseThePublicApiOnly() {
    noClasses()
        .that()
        .resideInAnyPackage("io.habitat.core.json..", "io.habitat.core.metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.habitat.core.internal..")
        .check(CORE);
  }

  /** Micrometer is optional: the library must work without it on the class path. */
  @Test
  void onlyTheMetricsPackageUsesMicrometer() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.habitat.core.metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micrometer..")
        .check(CORE);
  }

  @Test
  void theSpiDoesNotDependOnTheFacade() {
    noClasses()
        .that()
        .resideInAPackage("io.habitat.core.spi..")
        .should()
        .dependOnClassesThat()
        .haveSimpleNameStartingWith("Supervisor")
        .check(CORE);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.habitat.core.(**)").should().beFreeOfCycles().check(CORE);
  }
}
