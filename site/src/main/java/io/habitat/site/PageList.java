package io.habitat.site;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The parsed page list ({@code site/src/pages/pages.list}): the site's pages in navigation order.
 *
 * <pre>
 * [Section]
 * name | title | source, fallback, ... [| options]
 * </pre>
 *
 * <p>{@code name} is the page's file name without {@code .html}; the sources are paths from the
 * repository root, and the first one that exists is rendered; a source {@code dir/*.md} makes one
 * page per file of that folder plus an index page {@code name}; a source {@code link:path} is a
 * navigation entry for a file another step writes (the Javadoc). The only option is {@code
 * foreign}: a page copied from elsewhere, whose links out of the site become plain text. Immutable.
 */
final class PageList {

  /** One line of the list. */
  record Entry(
      int line,
      String section,
      String name,
      String title,
      List<String> sources,
      Set<String> options) {

    boolean isLink() {
      return sources.size() == 1 && sources.get(0).startsWith(LINK);
    }

    boolean isGlob() {
      return sources.size() == 1 && sources.get(0).endsWith("/*.md");
    }
  }

  static final String LINK = "link:";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern BAR = Pattern.compile("\\|");
  private static final Pattern COMMA = Pattern.compile(",");
  private static final Set<String> OPTIONS = Set.of("foreign");

  private PageList() {}

  /**
   * Parses the list.
   *
   * @param where the list's path, for messages
   * @throws SiteException naming the line, on anything malformed
   */
  static List<Entry> parse(String where, String text) {
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    @Nullable String section = null;
    int number = 0;
    for (String raw : text.lines().toList()) {
      number++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String at = where + " line " + number;
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.length() < 3) {
          throw new SiteException(at + ": a section is written [Name], found '" + line + "'");
        }
        section = line.substring(1, line.length() - 1).strip();
        continue;
      }
      if (section == null) {
        throw new SiteException(at + ": a page before any [Section]; start the list with one");
      }
      String[] fields = BAR.split(line, -1);
      if (fields.length < 3 || fields.length > 4) {
        throw new SiteException(
            at
                + ": expected 'name | title | sources' or 'name | title | sources | options', found '"
                + line
                + "'");
      }
      String name = fields[0].strip();
      String title = fields[1].strip();
      if (!NAME.matcher(name).matches()) {
        throw new SiteException(
            at + ": page name '" + name + "' must be lower-case letters, digits and '-'");
      }
      if (!names.add(name)) {
        throw new SiteException(at + ": page name '" + name + "' is used twice; names are files");
      }
      if (title.isEmpty()) {
        throw new SiteException(at + ": page '" + name + "' has no title");
      }
      List<String> sources = new ArrayList<>();
      for (String s : COMMA.split(fields[2], -1)) {
        String source = s.strip();
        if (source.isEmpty()) {
          throw new SiteException(at + ": page '" + name + "' has an empty source");
        }
        sources.add(source);
      }
      boolean special = sources.stream().anyMatch(s -> s.startsWith(LINK) || s.contains("*"));
      if (special && sources.size() > 1) {
        throw new SiteException(
            at + ": a 'link:' or '*.md' source stands alone, without fallbacks");
      }
      if (sources.size() == 1
          && sources.get(0).contains("*")
          && !sources.get(0).endsWith("/*.md")) {
        throw new SiteException(
            at + ": the only pattern is 'folder/*.md', found '" + sources.get(0) + "'");
      }
      Set<String> options = new LinkedHashSet<>();
      if (fields.length == 4) {
        for (String o : COMMA.split(fields[3], -1)) {
          String option = o.strip();
          if (!OPTIONS.contains(option)) {
            throw new SiteException(
                at + ": unknown option '" + option + "'; the options are " + OPTIONS);
          }
          options.add(option);
        }
      }
      entries.add(
          new Entry(number, section, name, title, List.copyOf(sources), Set.copyOf(options)));
    }
    if (entries.isEmpty()) {
      throw new SiteException(where + ": names no page");
    }
    if (!names.contains("index")) {
      throw new SiteException(where + ": names no page 'index'; the site starts at index.html");
    }
    return List.copyOf(entries);
  }
}
