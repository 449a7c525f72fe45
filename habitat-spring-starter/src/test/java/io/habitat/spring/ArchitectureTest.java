package io.habitat.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;

/**
 * The starter is an adapter: it uses the public API of habitat-core and habitat-jgroups only, and
 * its own packages depend inward (the application's API and the events know nothing of the
 * auto-configuration).
 */
class ArchitectureTest {

  private static final JavaClasses STARTER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.habitat.spring");

  @Test
  void theStarterNeverReachesIntoTheCoreImplementation() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.habitat.core.internal..")
        .check(STARTER);
  }

  @Test
  void theStarterNeverReachesIntoTheTransportImplementation() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.habitat.jgroups.internal..")
        .check(STARTER);
  }

  @Test
  void theStarterNeverDependsOnTheTestKit() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.habitat.test..").check(STARTER);
  }

  @Test
  void theApplicationsApiAndEventsKnowNothingOfTheAutoConfiguration() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.habitat.spring", "io.habitat.spring.event", "io.habitat.spring.actuate")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.habitat.spring.autoconfigure..")
        .check(STARTER);
  }

  @Test
  void onlyTheActuatePackageAndTheAutoConfigurationUseActuator() {
    noClasses()
        .that()
        .resideInAnyPackage("io.habitat.spring", "io.habitat.spring.event")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework.boot.actuate..", "org.springframework.boot.health..")
        .check(STARTER);
  }

  @Test
  void autoConfigurationClassesArePublicAndFinal() {
    classes()
        .that()
        .areAnnotatedWith(AutoConfiguration.class)
        .should()
        .bePublic()
        .andShould()
        .haveModifier(JavaModifier.FINAL)
        .andShould()
        .resideInAPackage("io.habitat.spring.autoconfigure")
        .check(STARTER);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.habitat.spring.(**)").should().beFreeOfCycles().check(STARTER);
  }
}
