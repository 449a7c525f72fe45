package io.habitat.benchmarks;

import io.habitat.test.process.ProcessEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the contenders' event histories say (events of {@link
 * io.habitat.benchmarks.members.MemberSupport}): who the members agree leads and since when, and
 * the first leadership callback after a fault. Pure functions over {@code member name -> events in
 * arrival order}, so the analysis is tested without processes.
 */
final class Timeline {

  private Timeline() {}

  /** A leader the members agree on, and the member clock's time the agreement was reached. */
  record Agreement(String leader, long at) {}

  /** The leader a member's latest {@code leader} event names, if any names one. */
  static Optional<String> latestLeader(List<ProcessEvent> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      ProcessEvent e = events.get(i);
      if (e.type().equals("leader")) {
        String id = e.require("id");
        return id.equals("none") ? Optional.empty() : Optional.of(id);
      }
    }
    return Optional.empty();
  }

  /**
   * The agreement of all given members, if every member's latest {@code leader} event names the
   * same member, that member is one of them and it reported {@code elected} at or after {@code
   * since}. The time is the latest of each member's first event naming it (at or after {@code
   * since}) and the leader's first {@code elected} at or after {@code since}.
   */
  static Optional<Agreement> agreement(Map<String, List<ProcessEvent>> histories, long since) {
    String common = null;
    for (List<ProcessEvent> events : histories.values()) {
      Optional<String> seen = latestLeader(events);
      if (seen.isEmpty() || (common != null && !common.equals(seen.get()))) {
        return Optional.empty();
      }
      common = seen.get();
    }
    if (common == null || !histories.containsKey(common)) {
      return Optional.empty();
    }
    String leader = common;
    OptionalLong elected =
        first(Objects.requireNonNull(histories.get(leader)), since, "elected", e -> true);
    if (elected.isEmpty()) {
      return Optional.empty();
    }
    long at = elected.getAsLong();
    for (List<ProcessEvent> events : histories.values()) {
      OptionalLong named = first(events, since, "leader", e -> e.require("id").equals(leader));
      if (named.isEmpty()) {
        return Optional.empty();
      }
      at = Math.max(at, named.getAsLong());
    }
    return Optional.of(new Agreement(leader, at));
  }

  /** The earliest {@code elected} event of any of the given members at or after {@code since}. */
  static OptionalLong firstElected(Iterable<List<ProcessEvent>> histories, long since) {
    OptionalLong earliest = OptionalLong.empty();
    for (List<ProcessEvent> events : histories) {
      OptionalLong t = first(events, since, "elected", e -> true);
      if (t.isPresent() && (earliest.isEmpty() || t.getAsLong() < earliest.getAsLong())) {
        earliest = t;
      }
    }
    return earliest;
  }

  /** The time of the first event of the type at or after {@code since} that passes the test. */
  static OptionalLong first(List<ProcessEvent> events, long since, String type, EventTest test) {
    for (ProcessEvent e : events) {
      if (e.wallMillis() >= since && e.type().equals(type) && test.test(e)) {
        return OptionalLong.of(e.wallMillis());
      }
    }
    return OptionalLong.empty();
  }

  /** The latest event of the type, if any. */
  static Optional<ProcessEvent> latest(List<ProcessEvent> events, String type) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).type().equals(type)) {
        return Optional.of(events.get(i));
      }
    }
    return Optional.empty();
  }

  /** A condition on one event. */
  @FunctionalInterface
  interface EventTest {
    boolean test(ProcessEvent event);
  }
}
