package io.habitat.core;

/**
 * The election epoch of a service group. It grows by at least one with every leadership change and
 * never goes back on a member, even across restarts (it is kept in the data directory). It is the
 * fencing token an application hands to resources that can check it: a write tagged with a lower
 * term than one already seen comes from a leader that has been replaced.
 *
 * @param value zero or more; {@code 0} means "no leader was ever elected"
 */
public record Term(long value) implements Comparable<Term> {

  /** The term before any election. */
  public static final Term ZERO = new Term(0);

  /** Validates the value. */
  public Term {
    if (value < 0) {
      throw new IllegalArgumentException("term must be 0 or more, was " + value);
    }
  }

  /** The term with the given value. */
  public static Term of(long value) {
    return value == 0 ? ZERO : new Term(value);
  }

  /** The term after this one. */
  public Term next() {
    if (value == Long.MAX_VALUE) {
      throw new ArithmeticException("term overflow: " + value + " is the largest term");
    }
    return new Term(value + 1);
  }

  /** Whether this term is strictly higher than the other. */
  public boolean isAfter(Term other) {
    return value > other.value;
  }

  /** The higher of two terms. */
  public static Term max(Term a, Term b) {
    return a.value >= b.value ? a : b;
  }

  @Override
  public int compareTo(Term other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
