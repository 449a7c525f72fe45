package io.habitat.core;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The limits of a member's exports (the small key/value data it publishes to its group and to
 * services that bind to it), and their check. Exports travel in protocol messages, so they are kept
 * small: at most {@value #MAX_ENTRIES} entries, keys of 1-64 characters of {@code [a-z0-9._-]}
 * starting with a letter or digit, values of at most {@value #MAX_VALUE_CHARS} characters, and at
 * most {@value #MAX_TOTAL_BYTES} bytes of UTF-8 in all.
 */
public final class Exports {
  /** The most entries. */
  public static final int MAX_ENTRIES = 32;

  /** The longest value, in characters. */
  public static final int MAX_VALUE_CHARS = 1024;

  /** The most bytes of keys and values together, in UTF-8. */
  public static final int MAX_TOTAL_BYTES = 4096;

  private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private Exports() {}

  /**
   * Checks exports against the limits and returns an immutable copy ordered by key.
   *
   * @throws IllegalArgumentException naming the entry that is wrong and the limit
   */
  public static Map<String, String> validate(Map<String, String> exports) {
    Objects.requireNonNull(exports, "exports");
    if (exports.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "too many exports: " + exports.size() + ", at most " + MAX_ENTRIES + " are allowed");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    int total = 0;
    for (Map.Entry<String, String> e : exports.entrySet()) {
      String k = Objects.requireNonNull(e.getKey(), "export key");
      String v = Objects.requireNonNull(e.getValue(), () -> "value of export '" + k + "'");
      if (!KEY.matcher(k).matches()) {
        throw new IllegalArgumentException(
            "export key '"
                + k
                + "' is not valid: use 1-64 characters of lower-case letters, digits, '.', '-'"
                + " or '_', starting with a letter or digit");
      }
      if (v.length() > MAX_VALUE_CHARS) {
        throw new IllegalArgumentException(
            "export '"
                + k
                + "' has a value of "
                + v.length()
                + " characters, at most "
                + MAX_VALUE_CHARS
                + " are allowed");
      }
      total +=
          k.getBytes(StandardCharsets.UTF_8).length + v.getBytes(StandardCharsets.UTF_8).length;
      sorted.put(k, v);
    }
    if (total > MAX_TOTAL_BYTES) {
      throw new IllegalArgumentException(
          "exports take " + total + " bytes, at most " + MAX_TOTAL_BYTES + " are allowed");
    }
    return java.util.Collections.unmodifiableMap(sorted);
  }
}
