package io.habitat.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator on small repositories made for each case. */
class SiteGeneratorTest {

  @SuppressWarnings("NullAway.Init")
  @TempDir
  Path root;

  private static final String CODE =
      """
      class Example {
        void run() {
          // tag::start[]
          supervisor.start();
          service.awaitReady(timeout);
          // end::start[]
        }
      }
      """;

  private void write(String path, String text) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private String page(String name) throws IOException {
    return Files.readString(root.resolve("out").resolve(name + ".html"), StandardCharsets.UTF_8);
  }

  private SiteGenerator.Result generate() {
    return SiteGenerator.generate(root, "pages.list", "assets", root.resolve("out"), "1.0");
  }

  private void basics(String list) throws IOException {
    write("pages.list", list);
    write("assets/style.css", "body {}");
    write("src/Example.java", CODE);
  }

  @Test
  void linksBetweenDocumentsBecomeLinksBetweenPages() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\nrules | Rules | docs/rules.md\n");
    write(
        "docs/home.md",
        "# Home\n\nSee [the rule](rules.md#the-rule) and [code](../src/Example.java).\n");
    write("docs/rules.md", "# Rules\n\n## The rule\n\nNone.\n");
    SiteGenerator.Result result = generate();
    assertThat(result.pages())
        .extracting(SiteGenerator.PageInfo::name)
        .containsExactly("index", "rules");
    assertThat(page("index"))
        .contains("href=\"rules.html#the-rule\"")
        .contains("href=\"source-src-Example.java.html\"")
        .contains("<a href=\"rules.html\">Rules</a>");
    assertThat(page("rules")).contains("id=\"the-rule\"").contains("aria-current=\"page\">Rules");
    assertThat(page("source-src-Example.java")).contains("supervisor.start();");
  }

  @Test
  void imagesAreCopiedAndFoldersAndOtherFilesGetAPage() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\n");
    write(
        "docs/home.md",
        "# Home\n\n![ring](images/ring.png) [the kit](../src/) [readme](../README.md)\n");
    write("docs/images/ring.png", "not really a png");
    write("README.md", "# Read me\n");
    generate();
    assertThat(page("index"))
        .contains("src=\"media/docs-images-ring.png\"")
        .contains("href=\"folder-src.html\"")
        .contains("href=\"source-README.md.html\"");
    assertThat(root.resolve("out/media/docs-images-ring.png")).hasContent("not really a png");
    assertThat(page("folder-src")).contains("<a href=\"source-src-Example.java.html\">");
    assertThat(page("source-src-Example.java")).contains("supervisor.start();");
  }

  @Test
  void aMissingAnchorFailsAndNothingIsWritten() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\nrules | Rules | docs/rules.md\n");
    write("docs/home.md", "# Home\n\n[gone](rules.md#no-such-heading)\n");
    write("docs/rules.md", "# Rules\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(SiteException.class)
        .hasMessageContaining("docs/home.md")
        .hasMessageContaining("has no anchor 'no-such-heading'");
    assertThat(root.resolve("out")).doesNotExist();
  }

  @Test
  void aLinkToAMissingFileFails() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\n");
    write("docs/home.md", "# Home\n\n[gone](../src/Gone.java)\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(SiteException.class)
        .hasMessageContaining("names src/Gone.java, which does not exist");
  }

  @Test
  void aListedPageWithoutAnySourceFailsNamingTheFilesItLookedFor() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\nguide | Guide | docs/guide.md, site/guide.md\n");
    write("docs/home.md", "# Home\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(SiteException.class)
        .hasMessageContaining("pages.list line 3")
        .hasMessageContaining("page 'guide' has no source: none of [docs/guide.md, site/guide.md]");
  }

  @Test
  void aFallbackStandsInUntilTheDocumentExists() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\nguide | Guide | docs/guide.md, site/guide.md\n");
    write("docs/home.md", "# Home\n\n[guide](guide.html)\n");
    write("site/guide.md", "# Guide\n\nNot written yet.\n");
    generate();
    assertThat(page("guide")).contains("Not written yet.").contains("site/guide.md");

    write("docs/guide.md", "# Guide\n\nThe real one.\n");
    generate();
    assertThat(page("guide")).contains("The real one.").doesNotContain("Not written yet.");
  }

  @Test
  void anIncludeQuotesTheTaggedCodeWithoutItsMarkers() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\n");
    write("docs/home.md", "# Home\n\n<!-- include: src/Example.java#start -->\n");
    generate();
    assertThat(page("index"))
        .contains(
            "<code class=\"language-java\">supervisor.start();\nservice.awaitReady(timeout);\n</code>")
        .doesNotContain("tag::");
  }

  @Test
  void anIncludeOfAMissingTagOrFileFails() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\n");
    write("docs/home.md", "# Home\n\n<!-- include: src/Example.java#stop -->\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(SiteException.class)
        .hasMessageContaining("docs/home.md line 3")
        .hasMessageContaining("has no tag 'stop'");

    write("docs/home.md", "# Home\n\n<!-- include: src/Missing.java#start -->\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(SiteException.class)
        .hasMessageContaining("src/Missing.java does not exist");
  }

  @Test
  void aQuotedBlockMustMatchItsSource() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\n");
    write(
        "docs/home.md",
        """
        # Home

        <!-- include: src/Example.java#start -->
        ```java
        supervisor.start();
        service.awaitReady(timeout);
        ```
        """);
    generate();
    assertThat(page("index")).containsOnlyOnce("supervisor.start();");

    write(
        "docs/home.md",
        "# Home\n\n<!-- include: src/Example.java#start -->\n```java\nsupervisor.begin();\n```\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(SiteException.class)
        .hasMessageContaining("the code block differs from src/Example.java#start")
        .hasMessageContaining("'supervisor.begin();', the source has 'supervisor.start();'");
  }

  @Test
  void documentsTheListDoesNotNameAreRenderedUnderMore() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\n");
    write("docs/home.md", "# Home\n");
    write("docs/new-topic.md", "# A new topic\n");
    generate();
    assertThat(page("new-topic")).contains("A new topic");
    assertThat(page("index")).contains("<h2>More</h2>").contains("href=\"new-topic.html\"");
  }

  @Test
  void aFolderPatternMakesAnIndexAndAPagePerFile() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\ndecisions | Decisions | docs/adr/*.md\n");
    write("docs/home.md", "# Home\n\nSee [the decisions](adr).\n");
    write("docs/adr/0001-one.md", "# ADR 0001: One\n\nSee [home](../home.md).\n");
    generate();
    assertThat(page("decisions")).contains("<a href=\"adr-0001-one.html\">ADR 0001: One</a>");
    assertThat(page("adr-0001-one")).contains("href=\"index.html\"");
    assertThat(page("index")).contains("href=\"decisions.html\"");
  }

  @Test
  void aRootRelativeLinkFailsExceptOnAForeignPage() throws IOException {
    basics("[A]\nindex | Home | docs/home.md\ncopy | Copy | docs/copy.md | foreign\n");
    write("docs/home.md", "# Home\n");
    write("docs/copy.md", "---\ntitle: Copy\n---\n# Copy\n\n<a href=\"/elsewhere\">next</a>\n");
    generate();
    assertThat(page("copy"))
        .doesNotContain("/elsewhere")
        .contains("next")
        .doesNotContain("title: Copy");

    write("docs/home.md", "# Home\n\n[up](/elsewhere)\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(SiteException.class)
        .hasMessageContaining("starts with '/'");
  }

  @Test
  void aMalformedPageListNamesTheLine() throws IOException {
    basics("[A]\nindex | Home\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(SiteException.class)
        .hasMessageContaining("pages.list line 2: expected 'name | title | sources'");
  }
}
