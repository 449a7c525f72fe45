package io.habitat.jgroups;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The transport is a plug: it uses the SPI and value types of habitat-core, nothing inside it. */
class ArchitectureTest {

  private static final JavaClasses JGROUPS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.habitat.jgroups");

  @Test
  void theTransportNeverReachesIntoTheCoreImplementation() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.habitat.core.internal..")
        .check(JGROUPS);
  }

  @Test
  void theLibraryNeverDependsOnTheTestKit() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.habitat.test..").check(JGROUPS);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.habitat.(**)").should().beFreeOfCycles().check(JGROUPS);
  }
}
