package io.habitat.core;

/**
 * A member's claim to lead its group: higher wins an election, the {@link MemberId} breaks ties.
 * The application supplies it (a constant, or a hook that reports, say, replication progress).
 *
 * @param value zero or more
 */
public record Suitability(long value) implements Comparable<Suitability> {

  /** The suitability of a member that makes no claim. */
  public static final Suitability NONE = new Suitability(0);

  /** Validates the value. */
  public Suitability {
    if (value < 0) {
      throw new IllegalArgumentException("suitability must be 0 or more, was " + value);
    }
  }

  /** The suitability with the given value. */
  public static Suitability of(long value) {
    return value == 0 ? NONE : new Suitability(value);
  }

  @Override
  public int compareTo(Suitability other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
