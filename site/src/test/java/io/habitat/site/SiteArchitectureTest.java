package io.habitat.site;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Module boundaries of the site: the generator reads text and knows nothing of the library; the
 * examples the pages quote use only what an application can use.
 */
class SiteArchitectureTest {

  private static final JavaClasses GENERATOR =
      new ClassFileImporter().importPath(Path.of("target", "classes"));

  private static final JavaClasses EXAMPLES =
      new ClassFileImporter()
          .importPath(Path.of("target", "test-classes", "io", "habitat", "site", "examples"));

  @Test
  void theGeneratorNeedsOnlyTheJdkAMarkdownParserAndAnHtmlParser() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", "io.habitat.site..", "org.commonmark..", "org.jsoup..", "org.jspecify..")
        .check(GENERATOR);
  }

  @Test
  void theExamplesUseThePublicApiOnly() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.habitat.core.internal..", "io.habitat.jgroups.internal..", "org.jgroups..")
        .check(EXAMPLES);
  }
}
