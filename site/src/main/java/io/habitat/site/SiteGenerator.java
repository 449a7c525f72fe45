package io.habitat.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jspecify.annotations.Nullable;

/**
 * Builds the documentation site: renders every page of the page list ({@link PageList}) from
 * Markdown to HTML with one navigation and one style sheet, expands the pages' {@link Directives},
 * resolves their links, and writes the site to one folder that works from {@code file://} and from
 * any static host (relative links only, no scripts, nothing fetched from elsewhere).
 *
 * <p>Links are resolved as on a source browser: relative to the Markdown file, so {@code
 * election.md#rank} in {@code docs/} becomes {@code election-protocol.html#rank} when that is the
 * page's name; {@code name.html} and {@code apidocs/...} name the site's own files. A link to a
 * repository file that is not a page (a test, a sample) gets a page that shows the file, a folder
 * gets a page that lists it, and images are copied under {@code media/}. A link to a missing file,
 * a missing page or a missing anchor fails the build, with every such link listed. {@code
 * docs/*.md} files the list does not name are rendered too, under "More", so a new document is
 * never left out.
 *
 * <p>Everything is rendered and checked in memory first; the output folder is written only when the
 * whole site is sound. Not thread-safe: one generator per build.
 */
public final class SiteGenerator {

  /** A page as written: its file name without {@code .html}, title and source. */
  public record PageInfo(String name, String title, String source) {}

  /** What a run wrote. */
  public record Result(List<PageInfo> pages, int sourceViews, int linksChecked) {}

  private record Page(
      String name,
      String title,
      String section,
      String source,
      boolean foreign,
      @Nullable String navParent,
      @Nullable String markdown) {}

  private record NavItem(String section, String title, String href, String page) {}

  private record Link(String from, String href, String file, String fragment) {}

  private static final String MORE = "More";
  private static final String SITE_NAME = "habitat for the JVM";
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");
  private static final Pattern MEDIA = Pattern.compile(".*\\.(png|jpe?g|gif|svg|webp|pdf)$");
  private static final Pattern HEADING = Pattern.compile("^#\\s+(.+)$", Pattern.MULTILINE);

  private final Path root;
  private final Path out;
  private final String version;
  private final Directives directives;
  private final Parser parser;
  private final HtmlRenderer renderer;

  private final Map<String, Page> pages = new LinkedHashMap<>();
  private final List<NavItem> nav = new ArrayList<>();
  private final Map<String, String> pageBySource = new HashMap<>();
  private final Map<String, String> pageByDirectory = new HashMap<>();
  private final Map<String, String> sourceViews = new LinkedHashMap<>();
  private final Map<String, String> folderViews = new LinkedHashMap<>();
  private final Map<String, String> media = new LinkedHashMap<>();
  private final Map<String, String> rendered = new LinkedHashMap<>();
  private final Map<String, Set<String>> ids = new HashMap<>();
  private final List<Link> links = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private SiteGenerator(Path root, Path out, String version) {
    this.root = root.toAbsolutePath().normalize();
    this.out = out.toAbsolutePath().normalize();
    this.version = version;
    this.directives = new Directives(this.root);
    List<Extension> extensions = List.of(TablesExtension.create(), HeadingAnchorExtension.create());
    this.parser = Parser.builder().extensions(extensions).build();
    this.renderer = HtmlRenderer.builder().extensions(extensions).build();
  }

  /**
   * Command line: {@code --root <repository> --pages <list> --assets <folder> --out <folder>
   * [--version <v>]}; the list and assets are relative to the root. Prints the pages it wrote.
   */
  public static void main(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    if (args.length % 2 != 0 || !options.keySet().containsAll(Set.of("--root", "--out"))) {
      throw new SiteException(
          "usage: SiteGenerator --root <repository> --out <folder> [--pages"
              + " site/src/pages/pages.list] [--assets site/src/assets] [--version v]");
    }
    Path root = Path.of(options.get("--root"));
    Result result =
        generate(
            root,
            options.getOrDefault("--pages", "site/src/pages/pages.list"),
            options.getOrDefault("--assets", "site/src/assets"),
            Path.of(options.get("--out")),
            options.getOrDefault("--version", ""));
    System.out.println(
        "site: "
            + result.pages().size()
            + " pages, "
            + result.sourceViews()
            + " source views, "
            + result.linksChecked()
            + " internal links checked");
  }

  /**
   * Builds the site.
   *
   * @param root the repository root; every path in the list and in directives is relative to it
   * @param pageList the page list, relative to {@code root}
   * @param assets a folder whose files are copied beside the pages, relative to {@code root}
   * @param out the folder to write; {@code out/apidocs} is left alone, top-level HTML is replaced
   * @param version the version the pages show
   * @throws SiteException on a missing page, include, link or anchor; nothing is written then
   */
  public static Result generate(
      Path root, String pageList, String assets, Path out, String version) {
    SiteGenerator generator = new SiteGenerator(root, out, version);
    return generator.run(pageList, assets);
  }

  private Result run(String pageList, String assets) {
    for (PageList.Entry entry : PageList.parse(pageList, read(pageList))) {
      add(entry);
    }
    addUnlistedDocs();
    for (Page page : pages.values()) {
      render(page);
    }
    for (Map.Entry<String, String> view : folderViews.entrySet()) {
      renderFolderView(view.getKey(), view.getValue());
    }
    for (Map.Entry<String, String> view : sourceViews.entrySet()) {
      renderSourceView(view.getKey(), view.getValue());
    }
    for (String file : media.values()) {
      ids.put(file, Set.of());
    }
    for (NavItem item : nav) {
      if (item.page().isEmpty()) {
        links.add(new Link("the navigation", item.href(), item.href(), ""));
      }
    }
    int checked = check();
    write(assets);
    notes.forEach(n -> System.out.println("site: " + n));
    List<PageInfo> written = new ArrayList<>();
    for (Page page : pages.values()) {
      written.add(new PageInfo(page.name(), page.title(), page.source()));
      System.out.println(
          "site: " + page.name() + ".html  " + page.title() + "  <- " + page.source());
    }
    return new Result(
        List.copyOf(written), sourceViews.size() + folderViews.size() + media.size(), checked);
  }

  // ---- the page list ------------------------------------------------------------------------

  private void add(PageList.Entry entry) {
    String at = "pages.list line " + entry.line();
    if (entry.isLink()) {
      String target = entry.sources().get(0).substring(PageList.LINK.length()).strip();
      nav.add(new NavItem(entry.section(), entry.title(), target, ""));
      return;
    }
    if (entry.isGlob()) {
      String source = entry.sources().get(0);
      String dir = source.substring(0, source.length() - "/*.md".length());
      List<String> files = markdownIn(dir);
      if (files.isEmpty()) {
        throw new SiteException(at + ": " + source + " matches no file");
      }
      StringBuilder index = new StringBuilder("# " + entry.title() + "\n\n");
      String prefix = dir.substring(dir.lastIndexOf('/') + 1);
      for (String file : files) {
        String base = file.substring(file.lastIndexOf('/') + 1, file.length() - ".md".length());
        String title = firstHeading(file);
        index.append("- [").append(title).append("](").append(base).append(".md)\n");
        put(
            at,
            new Page(
                prefix + "-" + base,
                title,
                entry.section(),
                file,
                entry.options().contains("foreign"),
                entry.name(),
                null));
      }
      put(
          at,
          new Page(
              entry.name(),
              entry.title(),
              entry.section(),
              dir + "/",
              false,
              null,
              index.toString()));
      pageByDirectory.put(dir, entry.name());
      nav.add(new NavItem(entry.section(), entry.title(), entry.name() + ".html", entry.name()));
      return;
    }
    String chosen = null;
    for (String source : entry.sources()) {
      if (Files.isRegularFile(root.resolve(source))) {
        chosen = source;
        break;
      }
    }
    if (chosen == null) {
      throw new SiteException(
          at
              + ": page '"
              + entry.name()
              + "' has no source: none of "
              + entry.sources()
              + " exists under "
              + root
              + "; write one, or remove the page from the list");
    }
    if (!chosen.equals(entry.sources().get(0))) {
      notes.add(
          entry.name()
              + ".html is rendered from "
              + chosen
              + " because "
              + entry.sources().get(0)
              + " does not exist");
    }
    put(
        at,
        new Page(
            entry.name(),
            entry.title(),
            entry.section(),
            chosen,
            entry.options().contains("foreign"),
            null,
            null));
    nav.add(new NavItem(entry.section(), entry.title(), entry.name() + ".html", entry.name()));
  }

  private void put(String at, Page page) {
    if (pages.containsKey(page.name())) {
      throw new SiteException(at + ": a second page named '" + page.name() + "'");
    }
    if (pageBySource.containsKey(page.source())) {
      throw new SiteException(
          at
              + ": "
              + page.source()
              + " is already the page '"
              + pageBySource.get(page.source())
              + "'; a source makes one page");
    }
    pages.put(page.name(), page);
    pageBySource.put(page.source(), page.name());
  }

  private void addUnlistedDocs() {
    for (String file : markdownIn("docs")) {
      if (pageBySource.containsKey(file)) {
        continue;
      }
      String base = file.substring("docs/".length(), file.length() - ".md".length());
      String title = firstHeading(file);
      put("docs/", new Page(base, title, MORE, file, false, null, null));
      nav.add(new NavItem(MORE, title, base + ".html", base));
      notes.add(file + " is not in the page list: rendered as " + base + ".html under " + MORE);
    }
  }

  private List<String> markdownIn(String dir) {
    Path folder = root.resolve(dir);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".md") && Files.isRegularFile(f))
          .map(f -> dir + "/" + f.getFileName())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  private String firstHeading(String file) {
    var m = HEADING.matcher(read(file));
    if (!m.find()) {
      throw new SiteException(file + ": has no '# Title' line; every page starts with one");
    }
    return m.group(1).strip();
  }

  // ---- rendering ----------------------------------------------------------------------------

  private void render(Page page) {
    String markdown = page.markdown() != null ? page.markdown() : read(page.source());
    markdown = directives.expand(page.source(), stripFrontMatter(markdown));
    Document doc = Jsoup.parseBodyFragment(renderer.render(parser.parse(markdown)));
    doc.outputSettings().prettyPrint(false);
    for (Element a : doc.select("a[href]")) {
      rewrite(page, a, "href");
    }
    for (Element img : doc.select("img[src]")) {
      rewrite(page, img, "src");
    }
    Set<String> found = new HashSet<>();
    for (Element e : doc.select("[id]")) {
      found.add(e.id());
    }
    for (Element e : doc.select("a[name]")) {
      found.add(e.attr("name"));
    }
    ids.put(page.name() + ".html", found);
    rendered.put(page.name() + ".html", shell(page.title(), page.name(), doc.body().html(), page));
  }

  private void rewrite(Page page, Element element, String attribute) {
    String at = page.source();
    String href = element.attr(attribute).strip();
    if (href.isEmpty()) {
      throw new SiteException(at + ": a link with no target ('" + element.text() + "')");
    }
    if (href.startsWith("//")) {
      throw new SiteException(at + ": '" + href + "' leaves the site; write https://...");
    }
    if (SCHEME.matcher(href).matches()) {
      return;
    }
    int hash = href.indexOf('#');
    String path = hash < 0 ? href : href.substring(0, hash);
    String fragment = hash < 0 ? "" : href.substring(hash + 1);
    String self = page.name() + ".html";
    String target;
    if (path.isEmpty()) {
      target = self;
    } else if (path.startsWith("/")) {
      if (page.foreign()) {
        element.unwrap();
        notes.add(at + ": the link to " + href + " (outside this site) is shown as text");
        return;
      }
      throw new SiteException(
          at + ": '" + href + "' starts with '/'; links are relative, so the site works anywhere");
    } else if (path.startsWith("apidocs/") || (path.endsWith(".html") && !path.contains("/"))) {
      // a page of the site by its output name, or the Javadoc
      target = path;
    } else {
      String base = page.source().endsWith("/") ? page.source() : parent(page.source());
      Path resolved = Path.of(base).resolve(path).normalize();
      String repoPath = resolved.toString().replace('\\', '/');
      if (repoPath.endsWith("/")) {
        repoPath = repoPath.substring(0, repoPath.length() - 1);
      }
      if (repoPath.startsWith("..") || resolved.isAbsolute()) {
        throw new SiteException(at + ": '" + href + "' points outside the repository");
      }
      String byPage = pageBySource.get(repoPath);
      String byDir = pageByDirectory.get(repoPath);
      if (byPage != null) {
        target = byPage + ".html";
      } else if (byDir != null) {
        target = byDir + ".html";
      } else if (Files.isRegularFile(root.resolve(repoPath))) {
        target = fileTarget(at, repoPath);
      } else if (Files.isDirectory(root.resolve(repoPath))) {
        target = folderViews.computeIfAbsent(repoPath, p -> "folder-" + flatten(p) + ".html");
      } else if (page.foreign()) {
        element.unwrap();
        notes.add(at + ": the link to " + href + " (outside this site) is shown as text");
        return;
      } else {
        throw new SiteException(
            at + ": '" + href + "' names " + repoPath + ", which does not exist");
      }
    }
    element.attr(attribute, fragment.isEmpty() ? target : target + "#" + fragment);
    links.add(new Link(at, href, target, fragment));
  }

  /**
   * Where a link to a repository file that is not a page goes: images and documents are copied
   * under {@code media/}; any other file gets a page that shows it as text.
   */
  private String fileTarget(String at, String repoPath) {
    String lower = repoPath.toLowerCase(Locale.ROOT);
    if (MEDIA.matcher(lower).matches()) {
      return media.computeIfAbsent(repoPath, p -> "media/" + flatten(p));
    }
    if (lower.endsWith(".md")) {
      notes.add(at + ": links to " + repoPath + ", which is not a page: shown as text");
    }
    return sourceViews.computeIfAbsent(repoPath, p -> "source-" + flatten(p) + ".html");
  }

  private static String flatten(String repoPath) {
    return repoPath.replace('/', '-');
  }

  private void renderSourceView(String repoPath, String file) {
    String text = read(repoPath);
    String body =
        "<h1><code>"
            + Entities.escape(repoPath)
            + "</code></h1>\n<pre><code>"
            + Entities.escape(text)
            + "</code></pre>\n";
    rendered.put(file, shell(repoPath, "", body, null));
    ids.put(file, Set.of());
  }

  private void renderFolderView(String repoPath, String file) {
    StringBuilder body =
        new StringBuilder("<h1><code>")
            .append(Entities.escape(repoPath))
            .append("/</code></h1>\n<ul>\n");
    try (Stream<Path> entries = Files.list(root.resolve(repoPath))) {
      for (Path entry : entries.filter(Files::isRegularFile).sorted().toList()) {
        String child = repoPath + "/" + entry.getFileName();
        String page = pageBySource.get(child);
        String target = page != null ? page + ".html" : fileTarget(repoPath, child);
        body.append("<li><a href=\"")
            .append(Entities.escape(target))
            .append("\"><code>")
            .append(Entities.escape(entry.getFileName().toString()))
            .append("</code></a></li>\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + repoPath, e);
    }
    body.append("</ul>\n");
    rendered.put(file, shell(repoPath + "/", "", body.toString(), null));
    ids.put(file, Set.of());
  }

  private String shell(String title, String current, String body, @Nullable Page page) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(Entities.escape(title))
        .append(" · ")
        .append(SITE_NAME)
        .append("</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n")
        .append("<header class=\"top\"><a class=\"brand\" href=\"index.html\">")
        .append(SITE_NAME)
        .append("</a>");
    if (!version.isEmpty()) {
      html.append(" <span class=\"version\">").append(Entities.escape(version)).append("</span>");
    }
    html.append(
        "</header>\n<div class=\"layout\">\n<nav class=\"sidebar\" aria-label=\"Pages\">\n");
    String section = null;
    String highlighted = current;
    if (page != null && page.navParent() != null) {
      highlighted = page.navParent();
    }
    for (NavItem item : nav) {
      if (!item.section().equals(section)) {
        if (section != null) {
          html.append("</ul>\n");
        }
        section = item.section();
        html.append("<h2>").append(Entities.escape(section)).append("</h2>\n<ul>\n");
      }
      html.append("<li><a href=\"").append(Entities.escape(item.href())).append('"');
      if (!item.page().isEmpty() && item.page().equals(highlighted)) {
        html.append(" aria-current=\"page\"");
      }
      html.append('>').append(Entities.escape(item.title())).append("</a></li>\n");
    }
    if (section != null) {
      html.append("</ul>\n");
    }
    html.append("</nav>\n<main id=\"content\">\n").append(body).append("\n<footer>");
    if (page != null) {
      html.append("Source: <code>").append(Entities.escape(page.source())).append("</code>. ");
    }
    html.append("</footer>\n</main>\n</div>\n</body>\n</html>\n");
    return html.toString();
  }

  // ---- checking and writing -----------------------------------------------------------------

  private int check() {
    List<String> broken = new ArrayList<>();
    Map<String, Set<String>> external = new HashMap<>();
    for (Link link : links) {
      Set<String> targetIds = ids.get(link.file());
      if (targetIds == null) {
        Path file = out.resolve(link.file()).normalize();
        if (!file.startsWith(out) || !Files.isRegularFile(file)) {
          broken.add(
              link.from()
                  + ": '"
                  + link.href()
                  + "' -> "
                  + link.file()
                  + " is not a page of the site"
                  + (link.file().startsWith("apidocs/")
                      ? " (the Javadoc step writes apidocs/ first: run the build from"
                          + " process-classes on)"
                      : ""));
          continue;
        }
        targetIds = external.computeIfAbsent(link.file(), f -> idsOf(file));
      }
      String fragment = decode(link.fragment());
      if (!fragment.isEmpty() && !targetIds.contains(fragment)) {
        broken.add(
            link.from()
                + ": '"
                + link.href()
                + "' -> "
                + link.file()
                + " has no anchor '"
                + fragment
                + "'");
      }
    }
    if (!broken.isEmpty()) {
      throw new SiteException(
          broken.size()
              + " broken link(s); fix the link or the heading it points to:\n  "
              + String.join("\n  ", broken.subList(0, Math.min(50, broken.size()))));
    }
    return links.size();
  }

  private static Set<String> idsOf(Path html) {
    try {
      Document doc = Jsoup.parse(html.toFile(), "UTF-8");
      Set<String> found = new HashSet<>();
      doc.select("[id]").forEach(e -> found.add(e.id()));
      doc.select("a[name]").forEach(e -> found.add(e.attr("name")));
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + html, e);
    }
  }

  private void write(String assets) {
    try {
      Files.createDirectories(out);
      try (Stream<Path> old = Files.list(out)) {
        for (Path f : old.filter(f -> f.getFileName().toString().endsWith(".html")).toList()) {
          Files.delete(f);
        }
      }
      Path mediaDir = out.resolve("media");
      if (Files.isDirectory(mediaDir)) {
        try (Stream<Path> old = Files.list(mediaDir)) {
          for (Path f : old.toList()) {
            Files.delete(f);
          }
        }
      }
      for (Map.Entry<String, String> page : rendered.entrySet()) {
        Files.writeString(out.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
      }
      for (Map.Entry<String, String> file : media.entrySet()) {
        Files.createDirectories(mediaDir);
        Files.copy(root.resolve(file.getKey()), out.resolve(file.getValue()));
      }
      Path assetDir = root.resolve(assets);
      if (!Files.isDirectory(assetDir)) {
        throw new SiteException(assets + " does not exist; it holds style.css");
      }
      try (Stream<Path> files = Files.list(assetDir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.copy(
              f,
              out.resolve(f.getFileName().toString()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the site to " + out, e);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private String read(String repoPath) {
    Path file = root.resolve(repoPath);
    if (!Files.isRegularFile(file)) {
      throw new SiteException(repoPath + " does not exist under " + root);
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String parent(String repoPath) {
    int slash = repoPath.lastIndexOf('/');
    return slash < 0 ? "" : repoPath.substring(0, slash + 1);
  }

  /** Removes a YAML front matter block, which may follow leading HTML comments. */
  static String stripFrontMatter(String markdown) {
    int start = 0;
    while (true) {
      int next = skipBlank(markdown, start);
      if (markdown.startsWith("<!--", next)) {
        int end = markdown.indexOf("-->", next);
        if (end < 0) {
          return markdown;
        }
        start = end + 3;
      } else {
        start = next;
        break;
      }
    }
    if (!markdown.startsWith("---\n", start)) {
      return markdown;
    }
    int close = markdown.indexOf("\n---\n", start + 3);
    if (close < 0) {
      return markdown;
    }
    return markdown.substring(0, start) + markdown.substring(close + 5);
  }

  private static int skipBlank(String s, int from) {
    int i = from;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String decode(String fragment) {
    return URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
