package io.habitat.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.Test;

/**
 * The gateway is an adapter: it uses the public API of habitat-core only, knows nothing of the
 * transport, keeps its implementation in {@code internal}, and names Micrometer's Prometheus
 * registry in one place, so that it runs without that optional dependency.
 */
class ArchitectureTest {

  private static final JavaClasses HTTP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.habitat.http");

  @Test
  void theGatewayUsesOnlyThePublicApiOfTheCore() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.habitat.core.internal..", "io.habitat.core.spi..")
        .check(HTTP);
  }

  @Test
  void theGatewayKnowsNothingOfTheTransportOrTheTestKit() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.habitat.jgroups..", "org.jgroups..", "io.habitat.test..")
        .check(HTTP);
  }

  @Test
  void onlyHabitatGatewayIsPublicApi() {
    classes()
        .that()
        .resideInAPackage("io.habitat.http")
        .and()
        .arePublic()
        .and()
        .areTopLevelClasses()
        .should()
        .haveSimpleName("HabitatGateway")
        .check(HTTP);
  }

  @Test
  void theImplementationNeverReachesBackIntoTheApiPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.habitat.http.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.habitat.http")
        .check(HTTP);
    slices().matching("io.habitat.(**)").should().beFreeOfCycles().check(HTTP);
  }

  @Test
  void onlyTheBuilderSignatureAndPrometheusScrapeNameMicrometer() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.habitat.http.internal.PrometheusScrape")
        .and()
        .doNotHaveFullyQualifiedName("io.habitat.http.HabitatGateway$Builder")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micrometer..")
        .check(HTTP);
  }

  @Test
  void itLogsThroughSlf4jOnlyAndNeverWritesToTheStandardStreams() {
    GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(HTTP);
    GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(HTTP);
  }
}
