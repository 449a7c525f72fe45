package io.habitat.core;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The stable identity of one member of a service group: configured (for example a Kubernetes
 * StatefulSet pod name) or generated once and kept in the member's data directory, so a restarted
 * member takes its old place. It also breaks ties between members of equal suitability: the greater
 * id (by {@link String#compareTo}) ranks higher.
 *
 * <p>1 to 128 characters of ASCII letters, digits, {@code .}, {@code -} and {@code _}, starting
 * with a letter or a digit. Immutable; ordered by the id's text.
 *
 * @param value the id's text
 */
public record MemberId(String value) implements Comparable<MemberId> {

  /** The longest id allowed. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** Validates the id; see the class comment for the rules. */
  public MemberId {
    if (value == null || !ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "member id '"
              + value
              + "' is not allowed: use 1 to "
              + MAX_LENGTH
              + " ASCII letters, digits, '.', '-' or '_', starting with a letter or a digit"
              + " (a Kubernetes pod name fits)");
    }
  }

  /** Parses an id; the same as the constructor. */
  public static MemberId of(String value) {
    return new MemberId(value);
  }

  /** A new random id ({@code m-} and 12 hex digits of a random UUID). */
  public static MemberId random() {
    return new MemberId("m-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  @Override
  public int compareTo(MemberId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
