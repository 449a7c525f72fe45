package io.habitat.test.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Topology;
import io.habitat.core.metrics.HabitatMetrics;
import io.habitat.test.network.InMemoryRing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link HabitatMetrics} on the in-memory ring, read through Micrometer's simple registry. */
class HabitatMetricsTest {

  private static final ServiceGroup GROUP = ServiceGroup.parse("db.main");
  private static final String G = GROUP.toString();

  private static ServiceConfig leader(long suitability) {
    return ServiceConfig.builder(GROUP).topology(Topology.LEADER).suitability(suitability).build();
  }

  /** A member with its own registry, bound before virtual time moves. */
  private record Metered(InMemoryRing.Member member, MeterRegistry registry) {}

  private static Metered start(InMemoryRing ring, String name, ServiceConfig config) {
    InMemoryRing.Member m = ring.start(name, config);
    MeterRegistry registry = new SimpleMeterRegistry();
    new HabitatMetrics(m.supervisor()).bindTo(registry);
    return new Metered(m, registry);
  }

  /** The leader every member follows, once they agree on it, its term and the voters. */
  private static Optional<MemberId> agreedLeader(List<Metered> members) {
    var first = members.get(0).member().service().census();
    if (first.voters().isEmpty()) {
      return Optional.empty();
    }
    for (Metered m : members) {
      var c = m.member().service().census();
      if (!c.leaderId().equals(first.leaderId())
          || !c.term().equals(first.term())
          || !c.voters().equals(first.voters())) {
        return Optional.empty();
      }
    }
    return first.leaderId();
  }

  private static Optional<Counter> elections(MeterRegistry registry, String outcome) {
    return Optional.ofNullable(
        registry.find("habitat.elections").tags("group", G, "outcome", outcome).counter());
  }

  private static double elected(MeterRegistry registry) {
    return elections(registry, "won").map(Counter::count).orElse(-1.0);
  }

  private static double gauge(MeterRegistry registry, String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    return g == null ? Double.NaN : g.value();
  }

  @Test
  void electionsLeaderTermAndMembersAreMeasuredAndAFailoverIsTimed() {
    try (InMemoryRing ring = InMemoryRing.create(11)) {
      Metered a = start(ring, "a", leader(1));
      Metered b = start(ring, "b", leader(3));
      Metered c = start(ring, "c", leader(2));
      List<Metered> all = List.of(a, b, c);

      // Meters of a known electing group exist before anything happened.
      assertThat(elections(a.registry(), "won")).map(Counter::count).contains(0.0);
      assertThat(elections(a.registry(), "lost")).map(Counter::count).contains(0.0);
      assertThat(a.registry().find("habitat.failover").tags("group", G).timer()).isNotNull();
      assertThat(gauge(a.registry(), "habitat.leader", "group", G)).isZero();

      ring.await("b leads", () -> agreedLeader(all).equals(Optional.of(MemberId.of("b"))));
      ring.await("b counted its election", () -> elected(b.registry()) >= 1);
      ring.await(
          "b sees three members alive",
          () -> gauge(b.registry(), "habitat.members", "group", G, "state", "alive") == 3);

      assertThat(elected(b.registry())).isEqualTo(1.0);
      assertThat(elected(a.registry())).isZero();
      assertThat(elected(c.registry())).isZero();
      assertThat(gauge(b.registry(), "habitat.leader", "group", G)).isEqualTo(1.0);
      assertThat(gauge(a.registry(), "habitat.leader", "group", G)).isZero();
      long term = b.member().service().census().term().value();
      assertThat(term).isPositive();
      assertThat(gauge(b.registry(), "habitat.term", "group", G)).isEqualTo((double) term);
      assertThat(gauge(a.registry(), "habitat.term", "group", G)).isEqualTo((double) term);
      for (String state : List.of("suspect", "confirmed", "departed")) {
        assertThat(gauge(b.registry(), "habitat.members", "group", G, "state", state))
            .as(state)
            .isZero();
      }

      // The protocol's own counters, as function counters.
      double heartbeats =
          b.registry()
              .get("habitat.messages")
              .tags("type", "heartbeat", "direction", "sent")
              .functionCounter()
              .count();
      assertThat(heartbeats).isPositive();
      assertThat(heartbeats)
          .isEqualTo(
              (double) b.member().supervisor().messagesSent().getOrDefault("heartbeat", -1L));
      assertThat(
              a.registry()
                  .get("habitat.messages")
                  .tags("type", "heartbeat", "direction", "received")
                  .functionCounter()
                  .count())
          .isPositive();
      assertThat(b.registry().get("habitat.decode.errors").functionCounter().count()).isZero();

      // Failover: a survivor times how long the group was without a leader.
      ring.crash(b.member());
      ring.await(
          "c leads after b crashed",
          () -> agreedLeader(List.of(a, c)).equals(Optional.of(MemberId.of("c"))));
      ring.await(
          "a timed the failover",
          () -> a.registry().get("habitat.failover").tags("group", G).timer().count() >= 1);
      Timer failover = a.registry().get("habitat.failover").tags("group", G).timer();
      assertThat(failover.count()).isEqualTo(1);
      ring.await("c counted its election", () -> elected(c.registry()) >= 1);
      assertThat(gauge(c.registry(), "habitat.leader", "group", G)).isEqualTo(1.0);
      assertThat(gauge(a.registry(), "habitat.leader", "group", G)).isZero();
      long newTerm = c.member().service().census().term().value();
      assertThat(newTerm).isGreaterThan(term);
      ring.await(
          "a's term gauge follows",
          () -> gauge(a.registry(), "habitat.term", "group", G) == newTerm);
      ring.await(
          "a sees b confirmed dead",
          () -> gauge(a.registry(), "habitat.members", "group", G, "state", "confirmed") == 1);
    }
  }

  @Test
  void aHookThatThrowsIsCountedByGroupHookAndKind() {
    try (InMemoryRing ring = InMemoryRing.create(12)) {
      ServiceConfig config =
          ServiceConfig.builder(GROUP)
              .topology(Topology.LEADER)
              .bootstrapSize(1)
              .onElected(
                  ctx -> {
                    throw new IllegalStateException("boom");
                  })
              .build();
      Metered a = start(ring, "a", config);
      ring.await(
          "the failed elected hook is counted",
          () ->
              a.registry()
                      .find("habitat.hook.failures")
                      .tags("group", G, "hook", "elected", "kind", "failed")
                      .counter()
                  != null);
      Counter failures =
          a.registry()
              .get("habitat.hook.failures")
              .tags("group", G, "hook", "elected", "kind", "failed")
              .counter();
      assertThat(failures.count()).isEqualTo(1.0);
      assertThat(a.member().supervisor().hookFailures()).isEqualTo(1);
      assertThat(a.registry().find("habitat.hook.failures").tags("kind", "hung").counter())
          .isNull();
      // The member leads all the same: a failing hook does not move leadership.
      assertThat(gauge(a.registry(), "habitat.leader", "group", G)).isEqualTo(1.0);
    }
  }

  @Test
  void servicesRegisteredAfterBindingGetTheirMetersToo() {
    try (InMemoryRing ring = InMemoryRing.create(13)) {
      Metered a =
          start(
              ring,
              "a",
              ServiceConfig.builder(GROUP).topology(Topology.LEADER).bootstrapSize(1).build());
      ring.await("a leads", () -> a.member().service().isLeader());

      // An electing service: its first event registers its meters.
      ServiceGroup cache = ServiceGroup.parse("cache.main");
      a.member()
          .supervisor()
          .register(
              ServiceConfig.builder(cache).topology(Topology.LEADER).bootstrapSize(1).build());
      ring.await(
          "the late electing service leads and its gauge says so",
          () -> gauge(a.registry(), "habitat.leader", "group", cache.toString()) == 1);
      ring.await(
          "its election is counted",
          () ->
              a.registry()
                      .find("habitat.elections")
                      .tags("group", cache.toString(), "outcome", "won")
                      .counter()
                  != null);

      // A standalone service publishes no events: a registry's next read registers its meters.
      ServiceGroup web = ServiceGroup.of("web");
      a.member().supervisor().register(ServiceConfig.builder(web).build());
      ring.runFor(Duration.ofSeconds(2));
      a.registry().get("habitat.decode.errors").functionCounter().count();
      assertThat(a.registry().find("habitat.members").tags("group", web.toString()).gauges())
          .hasSize(4);
      ring.await(
          "the standalone member counts itself alive",
          () ->
              gauge(a.registry(), "habitat.members", "group", web.toString(), "state", "alive")
                  == 1);
      assertThat(gauge(a.registry(), "habitat.leader", "group", web.toString())).isZero();
      assertThat(a.registry().find("habitat.elections").tags("group", web.toString()).counter())
          .isNull();
    }
  }

  @Test
  void extraTagsAreOnEveryMeterAndBindingTwiceChangesNothing() {
    try (InMemoryRing ring = InMemoryRing.create(14)) {
      InMemoryRing.Member a =
          ring.start(
              "a", ServiceConfig.builder(GROUP).topology(Topology.LEADER).bootstrapSize(1).build());
      MeterRegistry registry = new SimpleMeterRegistry();
      HabitatMetrics metrics = new HabitatMetrics(a.supervisor(), Tags.of("app", "shop"));
      metrics.bindTo(registry);
      int meters = registry.getMeters().size();
      metrics.bindTo(registry);
      assertThat(registry.getMeters()).hasSize(meters);
      ring.await("a leads", () -> a.service().isLeader());
      ring.await(
          "the election is counted once",
          () ->
              registry.get("habitat.elections").tags("group", G, "outcome", "won").counter().count()
                  >= 1);
      assertThat(registry.get("habitat.elections").tags("outcome", "won").counter().count())
          .isEqualTo(1.0);
      assertThat(registry.getMeters())
          .allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("shop"));
    }
  }
}
