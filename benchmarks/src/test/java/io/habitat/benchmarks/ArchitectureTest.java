package io.habitat.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure the library as users get it, through its public API only; the other
 * contenders' libraries are touched only by their member programs, and those use nothing of habitat
 * but the process kit.
 */
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
  void onlyTheContendersMembersTouchJGroupsCuratorOrZooKeeper() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.habitat.benchmarks.members..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.jgroups..", "org.apache.curator..", "org.apache.zookeeper..")
        .check(BENCHMARKS);
  }

  @Test
  void theContendersMembersUseNothingOfHabitatButTheProcessKit() {
    noClasses()
        .that()
        .resideInAPackage("io.habitat.benchmarks.members..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.habitat.core..",
            "io.habitat.jgroups..",
            "io.habitat.test.network..",
            "io.habitat.benchmarks")
        .check(BENCHMARKS);
  }
}
