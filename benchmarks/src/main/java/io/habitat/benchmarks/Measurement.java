package io.habitat.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The samples of one measurement of one contender, in milliseconds, where a sample may be missing
 * because the awaited event did not come within a bound ({@link #addNone}): such a sample counts as
 * longer than any measured one. Not thread-safe.
 */
final class Measurement {

  private final long boundMillis;
  private final List<Long> samples = new ArrayList<>();
  private int none;
  private int failed;

  /**
   * @param boundMillis how long a run waited before it recorded "none" (shown as {@code >bound})
   */
  Measurement(long boundMillis) {
    this.boundMillis = boundMillis;
  }

  void add(long millis) {
    samples.add(millis);
  }

  /** A run in which the event did not come within the bound. */
  void addNone() {
    none++;
  }

  /** A run that failed before it could measure (it counts in no statistic). */
  void addFailed() {
    failed++;
  }

  int count() {
    return samples.size() + none;
  }

  int none() {
    return none;
  }

  int failed() {
    return failed;
  }

  long bound() {
    return boundMillis;
  }

  List<Long> samples() {
    List<Long> s = new ArrayList<>(samples);
    Collections.sort(s);
    return s;
  }

  /** The smallest sample; empty when there is none or every run recorded "none". */
  OptionalLong min() {
    return samples.isEmpty() ? OptionalLong.empty() : OptionalLong.of(samples().get(0));
  }

  /** The largest sample, empty if any run recorded "none" (it is above the bound) or none ran. */
  OptionalLong max() {
    return none > 0 || samples.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(samples().get(samples.size() - 1));
  }

  /**
   * The median, with "none" above every sample: for an odd count the middle one, for an even count
   * the mean of the two middle ones, rounded down. Empty when it falls on a "none" (the median is
   * then above the bound) or nothing ran.
   */
  OptionalLong median() {
    int n = count();
    if (n == 0) {
      return OptionalLong.empty();
    }
    List<Long> s = samples();
    int upper = n / 2;
    if (upper >= s.size()) {
      return OptionalLong.empty();
    }
    if (n % 2 == 1) {
      return OptionalLong.of(s.get(upper));
    }
    return OptionalLong.of(Math.floorDiv(s.get(upper - 1) + s.get(upper), 2));
  }

  /** Whether the median is known or lies above the bound (false when nothing ran). */
  boolean hasMedian() {
    return count() > 0;
  }

  /** The median as text: the number, {@code >bound}, or {@code -} when nothing ran. */
  String medianText() {
    OptionalLong m = median();
    return m.isPresent() ? Long.toString(m.getAsLong()) : count() == 0 ? "-" : ">" + boundMillis;
  }

  /** {@code min / median / max}, with the runs that saw nothing within the bound. */
  String cell() {
    if (count() == 0) {
      return failed > 0 ? "failed (" + failed + ")" : "-";
    }
    if (samples.isEmpty()) {
      return String.format(Locale.ROOT, "none in %d ms (%d of %d)", boundMillis, none, count());
    }
    String max = max().isPresent() ? Long.toString(max().getAsLong()) : ">" + boundMillis;
    String text =
        String.format(Locale.ROOT, "%d / %s / %s", min().orElseThrow(), medianText(), max);
    if (none > 0) {
      text += String.format(Locale.ROOT, " (%d of %d none)", none, count());
    }
    if (failed > 0) {
      text += String.format(Locale.ROOT, " (%d failed)", failed);
    }
    return text;
  }
}
