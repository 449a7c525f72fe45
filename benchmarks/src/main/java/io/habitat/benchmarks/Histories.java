package io.habitat.benchmarks;

import io.habitat.test.process.ProcessEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the members' event histories say: who they agree leads, and since when. Pure functions over
 * {@code member name -> events in arrival order}, so the analysis is tested without processes.
 */
final class Histories {

  private Histories() {}

  /** A leader and its term, as a census names them. */
  record Leader(String name, long term) {}

  /** The leader and term of a member's latest census, if it has one naming a leader. */
  static Optional<Leader> latestLeader(List<ProcessEvent> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      ProcessEvent e = events.get(i);
      if (e.type().equals("census")) {
        String leader = e.require("leader");
        return leader.equals("none")
            ? Optional.empty()
            : Optional.of(new Leader(leader, Long.parseLong(e.require("term"))));
      }
    }
    return Optional.empty();
  }

  /**
   * The leader every given member's latest census names, if they all name the same one, it is one
   * of them (not {@code excluded}), its term is above {@code aboveTerm}, it reported {@code
   * elected} for that term, and (if {@code allAlive}) every member's latest census counts all the
   * given members alive.
   */
  static Optional<Leader> agreement(
      Map<String, List<ProcessEvent>> histories,
      long aboveTerm,
      Set<String> excluded,
      boolean allAlive) {
    Leader common = null;
    for (Map.Entry<String, List<ProcessEvent>> member : histories.entrySet()) {
      Optional<Leader> seen = latestLeader(member.getValue());
      if (seen.isEmpty() || (common != null && !common.equals(seen.get()))) {
        return Optional.empty();
      }
      common = seen.get();
      if (allAlive && !aliveInLatestCensus(member.getValue()).containsAll(histories.keySet())) {
        return Optional.empty();
      }
    }
    if (common == null
        || common.term() <= aboveTerm
        || excluded.contains(common.name())
        || !histories.containsKey(common.name())) {
      return Optional.empty();
    }
    List<ProcessEvent> leaderEvents = Objects.requireNonNull(histories.get(common.name()));
    long term = common.term();
    boolean elected =
        leaderEvents.stream()
            .anyMatch(e -> e.type().equals("elected") && Long.parseLong(e.require("term")) == term);
    return elected ? Optional.of(common) : Optional.empty();
  }

  /**
   * When the agreement on {@code leader} was reached: the latest of each member's first census (at
   * or after {@code since}) naming it, and the leader's {@code elected} event.
   */
  static long agreedAt(Map<String, List<ProcessEvent>> histories, Leader leader, long since) {
    long at = Long.MIN_VALUE;
    for (Map.Entry<String, List<ProcessEvent>> member : histories.entrySet()) {
      OptionalLong first =
          first(
              member.getValue(),
              since,
              e ->
                  e.type().equals("census")
                      && e.require("leader").equals(leader.name())
                      && Long.parseLong(e.require("term")) == leader.term());
      if (first.isEmpty()) {
        throw new IllegalStateException(
            member.getKey() + " never named " + leader + " in a census after " + since);
      }
      at = Math.max(at, first.getAsLong());
    }
    List<ProcessEvent> leaderEvents = Objects.requireNonNull(histories.get(leader.name()));
    OptionalLong elected =
        first(
            leaderEvents,
            Long.MIN_VALUE,
            e -> e.type().equals("elected") && Long.parseLong(e.require("term")) == leader.term());
    if (elected.isEmpty()) {
      throw new IllegalStateException(leader + " never reported elected");
    }
    return Math.max(at, elected.getAsLong());
  }

  /** The latest, over the given members, of each one's first event at or after {@code since}. */
  static OptionalLong lastOfFirsts(
      Collection<List<ProcessEvent>> histories, long since, EventTest test) {
    long at = Long.MIN_VALUE;
    for (List<ProcessEvent> events : histories) {
      OptionalLong first = first(events, since, test);
      if (first.isEmpty()) {
        return OptionalLong.empty();
      }
      at = Math.max(at, first.getAsLong());
    }
    return at == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(at);
  }

  /** The time of the first event at or after {@code since} that passes the test. */
  static OptionalLong first(List<ProcessEvent> events, long since, EventTest test) {
    for (ProcessEvent e : events) {
      if (e.wallMillis() >= since && test.test(e)) {
        return OptionalLong.of(e.wallMillis());
      }
    }
    return OptionalLong.empty();
  }

  /** Whether any event at or after {@code since} passes the test. */
  static boolean any(List<ProcessEvent> events, long since, EventTest test) {
    return first(events, since, test).isPresent();
  }

  /** The members the latest census lists alive (or suspect). */
  static Set<String> aliveInLatestCensus(List<ProcessEvent> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      ProcessEvent e = events.get(i);
      if (e.type().equals("census")) {
        return Set.of(e.require("members").split(","));
      }
    }
    return Set.of();
  }

  /** The voters the latest census lists. */
  static Set<String> votersInLatestCensus(List<ProcessEvent> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      ProcessEvent e = events.get(i);
      if (e.type().equals("census")) {
        return Set.of(e.require("voters").split(","));
      }
    }
    return Set.of();
  }

  /** A condition on one event. */
  @FunctionalInterface
  interface EventTest {
    boolean test(ProcessEvent event);
  }
}
