package io.habitat.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Samples of one measurement, in milliseconds, and their minimum, median and maximum. */
final class Stats {

  private final String name;
  private final List<Long> samples = new ArrayList<>();

  Stats(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  void add(long millis) {
    samples.add(millis);
  }

  int count() {
    return samples.size();
  }

  long min() {
    return sorted().get(0);
  }

  long max() {
    List<Long> s = sorted();
    return s.get(s.size() - 1);
  }

  /** The middle sample; for an even count, the mean of the two middle ones, rounded down. */
  long median() {
    List<Long> s = sorted();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : Math.floorDiv(s.get(n / 2 - 1) + s.get(n / 2), 2);
  }

  /** One row of the summary table; "-" for a measurement without samples. */
  String row(int nameWidth) {
    if (samples.isEmpty()) {
      return String.format(
          Locale.ROOT, "%-" + nameWidth + "s %3d %7s %7s %7s", name, 0, "-", "-", "-");
    }
    return String.format(
        Locale.ROOT, "%-" + nameWidth + "s %3d %7d %7d %7d", name, count(), min(), median(), max());
  }

  private List<Long> sorted() {
    if (samples.isEmpty()) {
      throw new IllegalStateException("no samples of " + name);
    }
    List<Long> s = new ArrayList<>(samples);
    Collections.sort(s);
    return s;
  }
}
