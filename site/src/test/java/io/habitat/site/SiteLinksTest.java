package io.habitat.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The written site, checked without a browser: every link and resource of every page resolves to a
 * file of the site and, with a fragment, to an element with that id; nothing is loaded from
 * elsewhere; every page carries the same navigation; every page of the page list is there.
 */
class SiteLinksTest {

  private static Path site;
  private static final Map<Path, Set<String>> IDS = new HashMap<>();

  @BeforeAll
  static void locate() {
    site = BuiltSite.output();
  }

  private static List<Path> pages() throws IOException {
    try (Stream<Path> files = Files.list(site)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".html")).sorted().toList();
    }
  }

  @Test
  void everyInternalLinkReachesAFileAndItsAnchor() throws IOException {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages()) {
      Document doc = Jsoup.parse(page.toFile(), "UTF-8");
      for (Element e : doc.select("a[href], link[href], img[src], script[src]")) {
        String ref = e.hasAttr("href") ? e.attr("href") : e.attr("src");
        String where = site.relativize(page) + ": " + e.tagName() + " '" + ref + "'";
        URI uri = URI.create(ref.replace(" ", "%20"));
        if (uri.getScheme() != null) {
          if (!e.tagName().equals("a")) {
            broken.add(where + " loads a resource from elsewhere");
          }
          continue;
        }
        if (ref.startsWith("/")) {
          broken.add(where + " starts with '/', which breaks on file:// and below a host's root");
          continue;
        }
        checked++;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        Path target =
            path.isEmpty()
                ? page
                : page.resolveSibling(URLDecoder.decode(path, StandardCharsets.UTF_8));
        target = target.normalize();
        if (!target.startsWith(site) || !Files.isRegularFile(target)) {
          broken.add(where + " names a file that is not in the site");
          continue;
        }
        String fragment = uri.getFragment();
        if (fragment != null && !fragment.isEmpty() && !idsOf(target).contains(fragment)) {
          broken.add(where + " names an anchor that " + site.relativize(target) + " lacks");
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
    assertThat(checked).as("links checked").isGreaterThan(500);
  }

  @Test
  void everyPageCarriesTheSameNavigationAndNoScript() throws IOException {
    List<String> first = null;
    for (Path page : pages()) {
      Document doc = Jsoup.parse(page.toFile(), "UTF-8");
      List<String> nav = doc.select("nav.sidebar a").eachAttr("href");
      if (first == null) {
        first = nav;
      }
      assertThat(nav).as("navigation of %s", page.getFileName()).isEqualTo(first);
      assertThat(doc.select("script")).as("scripts in %s", page.getFileName()).isEmpty();
      assertThat(doc.select("link[rel=stylesheet]").eachAttr("href")).containsExactly("style.css");
      assertThat(doc.select("main h1")).as("title of %s", page.getFileName()).hasSize(1);
    }
    assertThat(first).contains("index.html", "election.html", "apidocs/index.html");
  }

  @Test
  void everyListedPageIsWrittenAndInTheNavigation() throws IOException {
    Path list = BuiltSite.root().resolve("site/src/pages/pages.list");
    List<PageList.Entry> entries =
        PageList.parse(list.toString(), Files.readString(list, StandardCharsets.UTF_8));
    Document index = Jsoup.parse(site.resolve("index.html").toFile(), "UTF-8");
    List<String> nav = index.select("nav.sidebar a").eachAttr("href");
    for (PageList.Entry entry : entries) {
      String file =
          entry.isLink()
              ? entry.sources().get(0).substring(PageList.LINK.length()).strip()
              : entry.name() + ".html";
      assertThat(site.resolve(file)).as("page %s", entry.name()).isRegularFile();
      assertThat(nav).as("navigation").contains(file);
    }
    for (String guide : List.of("spring-boot.html", "gateway.html", "benchmarks.html")) {
      assertThat(nav).contains(guide);
    }
  }

  @Test
  void theJavadocDocumentsThePublicPackagesOnlyAndLinksBack() throws IOException {
    Path api = site.resolve("apidocs");
    Path supervisor = api.resolve("io/habitat/core/Supervisor.html");
    Element back =
        Jsoup.parse(supervisor.toFile(), "UTF-8")
            .selectFirst("a:contains(Back to the documentation)");
    assertThat(back).as("a link back from the Javadoc").isNotNull();
    String href = java.util.Objects.requireNonNull(back).attr("href");
    assertThat(supervisor.resolveSibling(href).normalize()).isEqualTo(site.resolve("index.html"));
    assertThat(api.resolve("index.html")).isRegularFile();
    assertThat(api.resolve("io/habitat/core/Supervisor.html")).isRegularFile();
    assertThat(api.resolve("io/habitat/jgroups/JGroupsTransport.html")).isRegularFile();
    assertThat(api.resolve("io/habitat/test/network/InMemoryRing.html")).isRegularFile();
    assertThat(api.resolve("io/habitat/core/internal")).doesNotExist();
    assertThat(api.resolve("io/habitat/jgroups/internal")).doesNotExist();
  }

  @Test
  void codeQuotedFromTaggedSourcesIsOnThePages() throws IOException {
    String code =
        Files.readString(
            BuiltSite.root()
                .resolve(
                    "habitat-test/src/test/java/io/habitat/test/docs/TopologyExamplesTest.java"),
            StandardCharsets.UTF_8);
    Document hooks = Jsoup.parse(site.resolve("config-and-binds.html").toFile(), "UTF-8");
    String shown = hooks.select("pre code").eachText().toString();
    assertThat(code)
        .contains(".bind(Bind.strict(\"database\", ServiceGroup.parse(\"postgres.main\")))");
    assertThat(shown)
        .contains(".bind(Bind.strict(\"database\", ServiceGroup.parse(\"postgres.main\")))");
    assertThat(shown).doesNotContain("tag::").doesNotContain("end::");
  }

  private static Set<String> idsOf(Path html) {
    return IDS.computeIfAbsent(
        html,
        f -> {
          try {
            Document doc = Jsoup.parse(f.toFile(), "UTF-8");
            Set<String> ids = new HashSet<>(doc.select("[id]").eachAttr("id"));
            ids.addAll(doc.select("a[name]").eachAttr("name"));
            return ids;
          } catch (IOException e) {
            throw new IllegalStateException("cannot read " + f, e);
          }
        });
  }
}
