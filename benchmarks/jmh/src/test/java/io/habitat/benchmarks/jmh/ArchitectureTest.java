package io.habitat.benchmarks.jmh;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The JMH module is the one exception to "nothing outside habitat-core imports its internal
 * package": it measures the engine and the codec, which live there. It stays a leaf: no transport,
 * no test kit, and nothing else of the project's adapters.
 */
class ArchitectureTest {

  private static final JavaClasses JMH =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.habitat.benchmarks.jmh");

  @Test
  void theMicrobenchmarksUseOnlyHabitatCore() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.habitat.jgroups..", "io.habitat.test..", "org.jgroups..")
        .check(JMH);
  }
}
