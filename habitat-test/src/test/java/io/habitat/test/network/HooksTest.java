package io.habitat.test.network;

import static io.habitat.test.network.Groups.agreedLeader;
import static io.habitat.test.network.Groups.allFollow;
import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.event.HabitatEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hooks: failures, order, hung hooks, and the pairing of elected and revoked. */
class HooksTest {

  private static final ServiceGroup DB = ServiceGroup.parse("db.main");

  private static ServiceConfig.Builder leader(long suitability) {
    return ServiceConfig.builder(DB).topology(Topology.LEADER).suitability(suitability);
  }

  /** Records the hooks of one member, and whether two ever ran at once. */
  static final class HookLog {
    final List<String> calls = new ArrayList<>();
    int running;
    int mostAtOnce;

    void run(String call) {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        calls.add(call);
      } finally {
        running--;
      }
    }

    ServiceConfig.Builder attach(ServiceConfig.Builder b) {
      return b.onElected(ctx -> run("elected " + ctx.term()))
          .onRevoked(ctx -> run("revoked " + ctx.term()))
          .onReconfigure(info -> run("reconfigure " + info.id() + " " + info.term()));
    }
  }

  @Test
  void aThrowingHookIsCountedAndPublishedAndTheNextHookStillRuns() {
    try (InMemoryRing ring = InMemoryRing.create(41)) {
      List<String> revoked = new ArrayList<>();
      InMemoryRing.Member a = ring.start("a", leader(1).build());
      InMemoryRing.Member b =
          ring.start(
              "b",
              leader(3)
                  .onElected(
                      ctx -> {
                        throw new IllegalStateException("cannot open the primary's socket");
                      })
                  .onRevoked(ctx -> revoked.add("revoked " + ctx.term()))
                  .build());
      InMemoryRing.Member c = ring.start("c", leader(2).build());
      List<HabitatEvent> events = new ArrayList<>();
      b.supervisor().addEventListener(events::add);
      Groups.Calls calls = new Groups.Calls();
      b.service().addListener(calls);
      ring.await("b leads", () -> allFollow(List.of(a, b, c), "b"));
      ring.await("the failure is counted", () -> b.supervisor().hookFailures() == 1);
      ring.await(
          "the failure is published",
          () -> events.stream().anyMatch(HabitatEvent.HookFailed.class::isInstance));
      HabitatEvent.HookFailed failed =
          events.stream()
              .filter(HabitatEvent.HookFailed.class::isInstance)
              .map(HabitatEvent.HookFailed.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(failed.hook()).isEqualTo("elected");
      assertThat(failed.member()).isEqualTo(MemberId.of("b"));
      assertThat(failed.group()).isEqualTo(DB);
      assertThat(failed.error()).hasMessage("cannot open the primary's socket");

      b.service().yieldLeadership();
      ring.await("c leads after b yielded", () -> allFollow(List.of(a, b, c), "c"));
      ring.await("b's revoked hook ran", () -> !revoked.isEmpty());
      assertThat(revoked).containsExactly("revoked 1");
      // The listener still heard of the election the failing hook was called for.
      assertThat(calls.calls).containsExactly("elected 1", "revoked 1");
      assertThat(b.supervisor().hookFailures()).isEqualTo(1);
      assertThat(a.supervisor().hookFailures()).isZero();
    }
  }

  @Test
  void hooksOfOneServiceRunOneAtATimeInEventOrderEvenWhenTheyFallBehind() {
    try (InMemoryRing ring = InMemoryRing.create(42)) {
      HookLog log = new HookLog();
      InMemoryRing.Member a = ring.start("a", leader(1).build());
      InMemoryRing.Member b =
          ring.start("b", log.attach(leader(3).hookTimeout(Duration.ofSeconds(1))).build());
      InMemoryRing.Member c = ring.start("c", leader(2).build());
      List<InMemoryRing.Member> all = List.of(a, b, c);
      ring.await("b leads", () -> allFollow(all, "b"));
      ring.await("b's elected hook ran", () -> log.calls.size() == 1);

      // b's hooks stall; its revoked hook is reported hung after the hook timeout and the hand-off
      // goes on without it.
      b.hooks().freeze();
      b.service().yieldLeadership();
      ring.await("c leads", () -> allFollow(all, "c"));
      Term second = c.service().census().term();
      ring.runFor(Duration.ofSeconds(1));
      c.service().yieldLeadership();
      ring.await("b leads again", () -> allFollow(all, "b"));
      Term third = b.service().census().term();
      assertThat(log.calls).containsExactly("elected 1");
      assertThat(b.supervisor().hooksHung()).isEqualTo(1);

      b.hooks().thaw();
      ring.await("b's hooks caught up", () -> log.calls.size() == 4);
      assertThat(log.calls)
          .containsExactly("elected 1", "revoked 1", "reconfigure c " + second, "elected " + third);
      assertThat(log.mostAtOnce).isEqualTo(1);
    }
  }

  @Test
  void aHungHookIsReportedAndDoesNotHoldTheElection() {
    try (InMemoryRing ring = InMemoryRing.create(43)) {
      List<String> elected = new ArrayList<>();
      InMemoryRing.Member a =
          ring.start(
              "a",
              leader(2)
                  .onElected(ctx -> elected.add("elected " + ctx.term()))
                  .healthCheck(() -> Health.OK)
                  .healthInterval(Duration.ofMillis(200))
                  .hookTimeout(Duration.ofSeconds(1))
                  .build());
      List<HabitatEvent> events = new ArrayList<>();
      a.supervisor().addEventListener(events::add);
      InMemoryRing.Member b = ring.start("b", leader(3).build());
      InMemoryRing.Member c = ring.start("c", leader(1).build());
      ring.await("b leads", () -> allFollow(List.of(a, b, c), "b"));

      a.hooks().freeze();
      ring.await(
          "a's stalled health check is reported hung", () -> a.supervisor().hooksHung() == 1);
      // A hung health check counts as UNKNOWN until it returns.
      assertThat(a.service().health()).isEqualTo(Health.UNKNOWN);
      ring.await(
          "c sees a's health as unknown",
          () ->
              c.service()
                  .census()
                  .member(MemberId.of("a"))
                  .map(m -> m.health() == Health.UNKNOWN && m.eligible())
                  .orElse(false));
      ring.crash(b);
      // a is the next in rank: it is elected although none of its hooks can run.
      ring.await("a leads while its hooks hang", () -> allFollow(List.of(a, c), "a"));
      assertThat(a.service().isLeader()).isTrue();
      assertThat(elected).isEmpty();
      assertThat(a.supervisor().hooksHung()).isEqualTo(1);

      a.hooks().thaw();
      ring.await("a's elected hook ran", () -> elected.size() == 1);
      ring.await("a's health check reports again", () -> a.service().health() == Health.OK);
      ring.await(
          "the hung hook was published",
          () -> events.stream().anyMatch(HabitatEvent.HookHung.class::isInstance));
      HabitatEvent.HookHung hung =
          events.stream()
              .filter(HabitatEvent.HookHung.class::isInstance)
              .map(HabitatEvent.HookHung.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(hung.hook()).isEqualTo("health");
      assertThat(hung.running()).isGreaterThan(Duration.ofSeconds(1));
      assertThat(elected).containsExactly("elected " + a.service().census().term());
    }
  }

  @Test
  void electedAndRevokedArePairedPerTermThroughYieldReelectionPauseAndClose() {
    try (InMemoryRing ring = InMemoryRing.create(44)) {
      InMemoryRing.Member a = ring.start("a", leader(1).build());
      InMemoryRing.Member b = ring.start("b", leader(3).build());
      InMemoryRing.Member c = ring.start("c", leader(2).build());
      List<InMemoryRing.Member> all = List.of(a, b, c);
      List<Groups.Calls> calls = new ArrayList<>();
      for (InMemoryRing.Member m : all) {
        Groups.Calls k = new Groups.Calls();
        m.service().addListener(k);
        calls.add(k);
      }
      ring.await("b leads", () -> allFollow(all, "b"));
      b.service().yieldLeadership();
      ring.await("c leads", () -> allFollow(all, "c"));
      Term before = c.service().census().term();
      a.service().reelect();
      ring.await(
          "a re-election",
          () -> agreedLeader(all).isPresent() && a.service().census().term().isAfter(before));
      MemberId leader = agreedLeader(all).orElseThrow();
      InMemoryRing.Member frozen =
          all.stream().filter(m -> Groups.id(m).equals(leader)).findFirst().orElseThrow();
      List<InMemoryRing.Member> others = all.stream().filter(m -> m != frozen).toList();
      ring.freeze(frozen);
      ring.await(
          "the others elect one of them",
          () -> agreedLeader(others).isPresent() && !agreedLeader(others).get().equals(leader));
      ring.thaw(frozen);
      ring.await("all agree again", () -> agreedLeader(all).isPresent());
      for (InMemoryRing.Member m : all) {
        m.supervisor().close();
      }
      ring.runFor(Duration.ofSeconds(5));
      int elections = 0;
      for (Groups.Calls k : calls) {
        assertThat(k.calls.size() % 2).as("%s", k.calls).isZero();
        for (int i = 0; i < k.calls.size(); i += 2) {
          String term = k.calls.get(i).substring("elected ".length());
          assertThat(k.calls.get(i)).isEqualTo("elected " + term);
          assertThat(k.calls.get(i + 1)).isEqualTo("revoked " + term);
          elections++;
        }
      }
      assertThat(elections).isGreaterThanOrEqualTo(4);
    }
  }
}
