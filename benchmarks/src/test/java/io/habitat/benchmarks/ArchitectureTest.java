package io.habitat.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The benchmarks measure the library as users get it: through its public API only. */
class ArchitectureTest {

  private static final JavaClasses BENCHMARKS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.habitat.benchmarks");

  @Test
  void theBenchmarksUseNoInternalPackage() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.habitat.core.internal..", "io.habitat.jgroups.internal..")
        .check(BENCHMARKS);
  }

  @Test
  void theBenchmarksNeverTouchJGroupsDirectly() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.jgroups..").check(BENCHMARKS);
  }
}
