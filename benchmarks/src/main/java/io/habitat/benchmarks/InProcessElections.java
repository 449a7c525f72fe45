package io.habitat.benchmarks;

import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.Timing;
import io.habitat.core.Topology;
import io.habitat.test.network.InMemoryRing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Elections of habitat members in one JVM, on the test kit's in-memory ring and virtual time: a
 * group of {@code n} members agrees on a leader, settles for two seconds, then the leader crashes,
 * and the survivors elect another. Counted are the messages the survivors' supervisors sent ({@link
 * io.habitat.core.Supervisor#messagesSent()}) from the crash until every survivor names the new
 * leader, and the virtual time until the first {@code elected} callback and until that agreement.
 * The in-memory ring reports a crash to the others after 50 ms (as FD_SOCK2 does on a machine).
 * Confined to the calling thread; each run takes a few seconds of real time at 100 members.
 */
final class InProcessElections {

  /** The message types that belong to elections (heartbeats and leaves do not). */
  static final List<String> ELECTION_TYPES =
      List.of("election", "answer", "coordinator", "ack", "reelect", "config");

  private InProcessElections() {}

  /**
   * One failover.
   *
   * @param members the group's size
   * @param messages the survivors' messages sent in the window, by type (all types)
   * @param electedMillis virtual ms from the crash to the first survivor's {@code elected}
   * @param agreedMillis virtual ms from the crash until every survivor names the new leader
   */
  record Failover(int members, Map<String, Long> messages, long electedMillis, long agreedMillis) {

    /** The messages of the election types. */
    long electionMessages() {
      return ELECTION_TYPES.stream().mapToLong(t -> messages.getOrDefault(t, 0L)).sum();
    }

    /** "coordinator 3, ack 3, ..." for the types that were sent. */
    String breakdown() {
      List<String> parts = new ArrayList<>();
      for (String t : ELECTION_TYPES) {
        long n = messages.getOrDefault(t, 0L);
        if (n > 0) {
          parts.add(t + " " + n);
        }
      }
      return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
  }

  /**
   * Runs one failover in a group of {@code members}.
   *
   * @throws AssertionError if the group does not agree within a minute of virtual time
   */
  static Failover failover(int members, long seed) {
    try (InMemoryRing ring = InMemoryRing.create(seed, Timing.defaults(), Duration.ofMinutes(1))) {
      ServiceConfig config =
          ServiceConfig.builder(ServiceGroup.parse("bench.elections"))
              .topology(Topology.LEADER)
              .bootstrapSize(members)
              .build();
      List<InMemoryRing.Member> all = new ArrayList<>();
      AtomicLong firstElected = new AtomicLong(Long.MAX_VALUE);
      for (int i = 1; i <= members; i++) {
        InMemoryRing.Member m = ring.start(String.format(Locale.ROOT, "m%03d", i), config);
        m.service()
            .addListener(
                new ServiceListener() {
                  @Override
                  public void elected(LeaderContext context) {
                    firstElected.accumulateAndGet(ring.time().currentTimeMillis(), Math::min);
                  }
                });
        all.add(m);
      }
      ring.await(
          "all " + members + " members agree on a leader and count all as voters",
          () -> agreed(all).isPresent() && all.stream().allMatch(m -> votersOf(m) == members));
      ring.runFor(Duration.ofSeconds(2));
      MemberId old = agreed(all).orElseThrow();
      InMemoryRing.Member leader =
          all.stream().filter(m -> m.name().equals(old.value())).findFirst().orElseThrow();
      List<InMemoryRing.Member> survivors = new ArrayList<>(all);
      survivors.remove(leader);
      Map<String, Long> before = sent(survivors);
      firstElected.set(Long.MAX_VALUE);
      long crashed = ring.time().currentTimeMillis();
      ring.crash(leader);
      ring.await(
          "the survivors agree on a new leader",
          () -> agreed(survivors).filter(id -> !id.equals(old)).isPresent());
      long agreed = ring.time().currentTimeMillis();
      Map<String, Long> after = sent(survivors);
      Map<String, Long> delta = new LinkedHashMap<>();
      after.forEach((type, n) -> delta.put(type, n - before.getOrDefault(type, 0L)));
      long elected = firstElected.get() == Long.MAX_VALUE ? agreed : firstElected.get();
      return new Failover(members, delta, elected - crashed, agreed - crashed);
    }
  }

  private static Optional<MemberId> agreed(List<InMemoryRing.Member> members) {
    MemberId common = null;
    for (InMemoryRing.Member m : members) {
      Optional<MemberId> leader = m.service().census().leaderId();
      if (leader.isEmpty() || (common != null && !common.equals(leader.get()))) {
        return Optional.empty();
      }
      common = leader.get();
    }
    return Optional.ofNullable(common);
  }

  private static int votersOf(InMemoryRing.Member m) {
    return m.service().census().voters().size();
  }

  private static Map<String, Long> sent(List<InMemoryRing.Member> members) {
    Map<String, Long> sum = new LinkedHashMap<>();
    for (InMemoryRing.Member m : members) {
      m.supervisor().messagesSent().forEach((type, n) -> sum.merge(type, n, Long::sum));
    }
    return sum;
  }
}
