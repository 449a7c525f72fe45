package io.habitat.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Expands a Markdown page's directives before it is rendered. Paths are from the repository root.
 *
 * <ul>
 *   <li>{@code <!-- include: path#tag -->} puts the lines between {@code tag::tag[]} and {@code
 *       end::tag[]} of that file (typically {@code // tag::x[]} in a compiled example) in a code
 *       block, dedented; without {@code #tag} the whole file. When a fenced code block directly
 *       follows the directive, the block must already hold exactly that code (so the Markdown reads
 *       well where it is not rendered by this site), and the site shows the code from the source.
 *   <li>{@code <!-- figure: path.svg -->} inlines a hand-drawn SVG in a {@code <figure>}.
 * </ul>
 *
 * A missing file, a missing or unclosed tag, or a quoted block that differs from its source fails
 * with a {@link SiteException} that names the page and line. Stateless.
 */
final class Directives {

  private static final Pattern INCLUDE =
      Pattern.compile("^\\s*<!--\\s*include:\\s*([^#\\s]+)(?:#([A-Za-z0-9_.-]+))?\\s*-->\\s*$");
  private static final Pattern FIGURE =
      Pattern.compile("^\\s*<!--\\s*figure:\\s*(\\S+\\.svg)\\s*-->\\s*$");
  private static final Pattern ANY_DIRECTIVE =
      Pattern.compile("^\\s*<!--\\s*(include|figure)\\b.*$");
  private static final Pattern TAG_MARKER = Pattern.compile("(tag|end)::[A-Za-z0-9_.-]+\\[]");

  private final Path root;

  Directives(Path root) {
    this.root = root;
  }

  /**
   * Returns {@code markdown} with every directive expanded.
   *
   * @param page the page's source path, for messages
   */
  String expand(String page, String markdown) {
    List<String> lines = markdown.lines().collect(Collectors.toList());
    List<String> out = new ArrayList<>();
    boolean inFence = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String at = page + " line " + (i + 1);
      if (isFence(line)) {
        inFence = !inFence;
        out.add(line);
        continue;
      }
      if (inFence) {
        out.add(line);
        continue;
      }
      Matcher include = INCLUDE.matcher(line);
      Matcher figure = FIGURE.matcher(line);
      if (include.matches()) {
        String path = include.group(1);
        String tag = include.group(2);
        String code = snippet(at, path, tag);
        String language = language(path);
        if (i + 1 < lines.size() && isFence(lines.get(i + 1))) {
          int close = i + 2;
          while (close < lines.size() && !isFence(lines.get(close))) {
            close++;
          }
          if (close >= lines.size()) {
            throw new SiteException(at + ": the code block after the include is never closed");
          }
          String quoted = String.join("\n", lines.subList(i + 2, close));
          if (!normalise(quoted).equals(normalise(code))) {
            throw new SiteException(
                at
                    + ": the code block differs from "
                    + path
                    + (tag == null ? "" : "#" + tag)
                    + " ("
                    + firstDifference(quoted, code)
                    + "); copy the source's code into the block, or drop the block and keep"
                    + " only the directive");
          }
          i = close;
        }
        out.add("```" + language);
        out.addAll(code.lines().toList());
        out.add("```");
      } else if (figure.matches()) {
        out.add("<figure class=\"diagram\">");
        out.addAll(svg(at, figure.group(1)));
        out.add("</figure>");
      } else if (ANY_DIRECTIVE.matcher(line).matches()) {
        throw new SiteException(
            at
                + ": malformed directive '"
                + line.strip()
                + "'; write <!-- include: path/File.java#tag --> or <!-- figure: path/drawing.svg -->");
      } else {
        out.add(line);
      }
    }
    return String.join("\n", out) + "\n";
  }

  /**
   * The tagged region of a file, dedented, without tag marker lines; the whole file without tag.
   */
  String snippet(String at, String path, @Nullable String tag) {
    List<String> lines = read(at, path).lines().toList();
    if (tag == null) {
      return dedent(lines);
    }
    String start = "tag::" + tag + "[]";
    String end = "end::" + tag + "[]";
    int from = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(start)) {
        if (from >= 0) {
          throw new SiteException(
              at + ": " + path + " has tag '" + tag + "' twice; tags name one region");
        }
        from = i;
      }
    }
    if (from < 0) {
      throw new SiteException(
          at
              + ": "
              + path
              + " has no tag '"
              + tag
              + "'; mark the code with lines '// tag::"
              + tag
              + "[]' and '// end::"
              + tag
              + "[]'");
    }
    List<String> region = new ArrayList<>();
    for (int i = from + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.contains(end)) {
        if (region.stream().allMatch(String::isBlank)) {
          throw new SiteException(at + ": tag '" + tag + "' of " + path + " is empty");
        }
        return dedent(region);
      }
      if (!TAG_MARKER.matcher(line).find()) {
        region.add(line);
      }
    }
    throw new SiteException(
        at + ": tag '" + tag + "' of " + path + " is never closed; add a line '// " + end + "'");
  }

  private List<String> svg(String at, String path) {
    String text = read(at, path).strip();
    if (text.startsWith("<?xml")) {
      text = text.substring(text.indexOf("?>") + 2).strip();
    }
    if (!text.startsWith("<svg") || !text.endsWith("</svg>")) {
      throw new SiteException(at + ": " + path + " is not an SVG drawing (<svg ...>...</svg>)");
    }
    if (text.toLowerCase(Locale.ROOT).contains("<script")) {
      throw new SiteException(at + ": " + path + " has a script; the site's drawings are static");
    }
    // A blank line would end the HTML block in Markdown.
    return text.lines().filter(l -> !l.isBlank()).toList();
  }

  private String read(String at, String path) {
    Path file = root.resolve(path).normalize();
    if (!file.startsWith(root)) {
      throw new SiteException(at + ": " + path + " is outside the repository");
    }
    if (!Files.isRegularFile(file)) {
      throw new SiteException(
          at + ": " + path + " does not exist; paths are from the repository root");
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static boolean isFence(String line) {
    String s = line.stripLeading();
    return s.startsWith("```") || s.startsWith("~~~");
  }

  private static String language(String path) {
    int dot = path.lastIndexOf('.');
    String ext = dot < 0 ? "" : path.substring(dot + 1);
    return switch (ext) {
      case "java", "xml", "toml", "json", "properties" -> ext;
      case "yaml", "yml" -> "yaml";
      default -> "";
    };
  }

  static String dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    int cut = indent == Integer.MAX_VALUE ? 0 : indent;
    return lines.stream()
        .map(l -> l.length() >= cut ? l.substring(cut).stripTrailing() : "")
        .collect(Collectors.joining("\n"))
        .replaceAll("^\\n+|\\n+$", "");
  }

  private static String normalise(String code) {
    return dedent(code.lines().toList());
  }

  private static String firstDifference(String quoted, String code) {
    List<String> a = normalise(quoted).lines().toList();
    List<String> b = normalise(code).lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String x = i < a.size() ? a.get(i) : "(nothing)";
      String y = i < b.size() ? b.get(i) : "(nothing)";
      if (!x.equals(y)) {
        return "line " + (i + 1) + " of the block is '" + x + "', the source has '" + y + "'";
      }
    }
    return "they differ";
  }
}
