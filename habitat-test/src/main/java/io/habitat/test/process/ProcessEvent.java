package io.habitat.test.process;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A structured event a child process reported on its standard output, one line of the form {@code
 * @habitat <wallMillis> <type> key=value key=value ...} (written by {@link ChildProcess#event}).
 * Type, keys and values contain no whitespace; keys contain no {@code =}. Immutable.
 *
 * @param wallMillis the child's wall clock ({@link System#currentTimeMillis()}) when it wrote the
 *     event
 * @param type the event type, for example {@code started} or {@code elected}
 * @param fields the key/value pairs, in the order written
 * @param raw the whole line as received
 */
public record ProcessEvent(long wallMillis, String type, Map<String, String> fields, String raw) {

  /** The first word of every event line. */
  public static final String PREFIX = "@habitat";

  private static final Pattern WORD = Pattern.compile("\\S+");

  /** Checks the parts and copies the fields (keeping their order). */
  public ProcessEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(raw, "raw");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** The value of a field, if the event has it. */
  public Optional<String> field(String key) {
    return Optional.ofNullable(fields.get(key));
  }

  /**
   * The value of a field.
   *
   * @throws IllegalArgumentException naming the event if it has no such field
   */
  public String require(String key) {
    String value = fields.get(key);
    if (value == null) {
      throw new IllegalArgumentException("event has no field '" + key + "': " + raw);
    }
    return value;
  }

  /**
   * Parses an event line; empty when the line is not one (a plain log line, or a malformed event
   * line, which stays a plain line).
   */
  public static Optional<ProcessEvent> parse(String line) {
    if (!line.startsWith(PREFIX + " ")) {
      return Optional.empty();
    }
    List<String> words = words(line);
    if (words.size() < 3) {
      return Optional.empty();
    }
    long wallMillis;
    try {
      wallMillis = Long.parseLong(words.get(1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String word : words.subList(3, words.size())) {
      int equals = word.indexOf('=');
      if (equals <= 0) {
        return Optional.empty();
      }
      fields.put(word.substring(0, equals), word.substring(equals + 1));
    }
    return Optional.of(new ProcessEvent(wallMillis, words.get(2), fields, line));
  }

  /** The line's words, split at runs of whitespace. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    Matcher word = WORD.matcher(line);
    while (word.find()) {
      words.add(word.group());
    }
    return words;
  }

  @Override
  public String toString() {
    return raw;
  }
}
