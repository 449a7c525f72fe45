package io.habitat.test.network;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the {@link InMemoryNetwork}'s membership service takes to notice each kind of change, in
 * virtual time. The defaults follow a JGroups stack with {@code FD_SOCK2} and {@code FD_ALL3}.
 * Immutable; start from {@link #defaults()} and change fields with the {@code with...} methods.
 *
 * @param viewDelay how long after a member starts the others get the view that adds it (the new
 *     member gets it before {@code start} returns)
 * @param leaveDelay how long after a graceful close the others install a view without the member
 * @param crashDetectionDelay how long after a crash the others install a view without the member
 *     ({@code FD_SOCK2}: a closed socket is noticed at once); also how long a partition takes to
 *     split views
 * @param freezeDetectionDelay how long a frozen member stays in the others' views ({@code FD_ALL3}:
 *     missing heartbeats)
 * @param mergeDelay how long after a partition heals, or an excluded member thaws, the separate
 *     views merge ({@code MERGE3})
 */
public record MembershipTimings(
    Duration viewDelay,
    Duration leaveDelay,
    Duration crashDetectionDelay,
    Duration freezeDetectionDelay,
    Duration mergeDelay) {

  private static final MembershipTimings DEFAULTS =
      new MembershipTimings(
          Duration.ofMillis(10),
          Duration.ofMillis(10),
          Duration.ofMillis(50),
          Duration.ofMillis(1500),
          Duration.ofMillis(1000));

  /** Validates every field: each is 0 to 1 hour. */
  public MembershipTimings {
    check("viewDelay", viewDelay);
    check("leaveDelay", leaveDelay);
    check("crashDetectionDelay", crashDetectionDelay);
    check("freezeDetectionDelay", freezeDetectionDelay);
    check("mergeDelay", mergeDelay);
  }

  /** View 10 ms, leave 10 ms, crash detection 50 ms, freeze detection 1.5 s, merge 1 s. */
  public static MembershipTimings defaults() {
    return DEFAULTS;
  }

  /** These timings with another {@link #viewDelay()}. */
  public MembershipTimings withViewDelay(Duration d) {
    return new MembershipTimings(
        d, leaveDelay, crashDetectionDelay, freezeDetectionDelay, mergeDelay);
  }

  /** These timings with another {@link #leaveDelay()}. */
  public MembershipTimings withLeaveDelay(Duration d) {
    return new MembershipTimings(
        viewDelay, d, crashDetectionDelay, freezeDetectionDelay, mergeDelay);
  }

  /** These timings with another {@link #crashDetectionDelay()}. */
  public MembershipTimings withCrashDetectionDelay(Duration d) {
    return new MembershipTimings(viewDelay, leaveDelay, d, freezeDetectionDelay, mergeDelay);
  }

  /** These timings with another {@link #freezeDetectionDelay()}. */
  public MembershipTimings withFreezeDetectionDelay(Duration d) {
    return new MembershipTimings(viewDelay, leaveDelay, crashDetectionDelay, d, mergeDelay);
  }

  /** These timings with another {@link #mergeDelay()}. */
  public MembershipTimings withMergeDelay(Duration d) {
    return new MembershipTimings(
        viewDelay, leaveDelay, crashDetectionDelay, freezeDetectionDelay, d);
  }

  private static void check(String field, Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(field + " must be 0 to 1 hour, was " + value);
    }
  }
}
