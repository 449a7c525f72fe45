package io.habitat.benchmarks.raft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The jgroups-raft member is a contender: it uses nothing of habitat but the process kit. */
class ArchitectureTest {

  private static final JavaClasses MEMBER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.habitat.benchmarks.raft");

  @Test
  void theMemberUsesOnlyTheProcessKitOfHabitat() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.habitat.core..", "io.habitat.jgroups..", "io.habitat.test.network..")
        .check(MEMBER);
  }
}
