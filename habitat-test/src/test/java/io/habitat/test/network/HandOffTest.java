package io.habitat.test.network;

import static io.habitat.test.network.Groups.agreedLeader;
import static io.habitat.test.network.Groups.allFollow;
import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leadership that moves on purpose: yield, re-election, preemption. */
class HandOffTest {

  private static final ServiceGroup DB = ServiceGroup.parse("db.main");

  private static ServiceConfig.Builder leader(long suitability) {
    return ServiceConfig.builder(DB).topology(Topology.LEADER).suitability(suitability);
  }

  @Test
  void theSuccessorIsElectedOnlyAfterTheYieldingLeadersRevokedHookReturned() {
    try (InMemoryRing ring = InMemoryRing.create(61)) {
      List<String> order = new ArrayList<>();
      InMemoryRing.Member a =
          ring.start("a", leader(1).onElected(ctx -> order.add("a elected " + ctx.term())).build());
      InMemoryRing.Member b =
          ring.start(
              "b",
              leader(3)
                  .onElected(ctx -> order.add("b elected " + ctx.term()))
                  .onRevoked(ctx -> order.add("b revoked " + ctx.term() + " returns"))
                  .build());
      InMemoryRing.Member c =
          ring.start("c", leader(2).onElected(ctx -> order.add("c elected " + ctx.term())).build());
      List<InMemoryRing.Member> all = List.of(a, b, c);
      ring.await("b leads", () -> allFollow(all, "b"));
      ring.await("b's elected hook ran", () -> order.size() == 1);

      // b's revoked hook takes its time: nobody may lead before it returns.
      b.hooks().freeze();
      b.service().yieldLeadership();
      ring.runFor(Duration.ofSeconds(3));
      assertThat(b.service().isLeader()).isFalse();
      assertThat(c.service().isLeader()).isFalse();
      assertThat(a.service().isLeader()).isFalse();
      assertThat(order).containsExactly("b elected 1");

      b.hooks().thaw();
      ring.await("c leads", () -> allFollow(all, "c"));
      ring.await("c's elected hook ran", () -> order.size() == 3);
      Term second = c.service().census().term();
      assertThat(order)
          .containsExactly("b elected 1", "b revoked 1 returns", "c elected " + second);
    }
  }

  @Test
  void reelectFromAFollowerMakesTheLeaderStepDownAndTheGroupElectAgain() {
    try (InMemoryRing ring = InMemoryRing.create(62)) {
      List<String> revoked = new ArrayList<>();
      InMemoryRing.Member a = ring.start("a", leader(1).build());
      InMemoryRing.Member b =
          ring.start("b", leader(3).onRevoked(ctx -> revoked.add("b " + ctx.term())).build());
      InMemoryRing.Member c = ring.start("c", leader(2).build());
      List<InMemoryRing.Member> all = List.of(a, b, c);
      ring.await("b leads", () -> allFollow(all, "b"));
      Term first = b.service().census().term();

      a.service().reelect();
      ring.await(
          "a new term is elected",
          () -> agreedLeader(all).isPresent() && a.service().census().term().isAfter(first));
      assertThat(revoked).containsExactly("b " + first);
      // b stays eligible and ranks highest: the group chose it again, in a new term.
      assertThat(agreedLeader(all)).contains(MemberId.of("b"));
      assertThat(b.service().leadership().map(l -> l.term())).contains(a.service().census().term());
    }
  }

  @Test
  void withPreemptionAMoreSuitableJoinerTakesOver() {
    try (InMemoryRing ring = InMemoryRing.create(63)) {
      List<String> revoked = new ArrayList<>();
      InMemoryRing.Member a = ring.start("a", leader(1).preempt(true).build());
      InMemoryRing.Member b =
          ring.start(
              "b",
              leader(3).preempt(true).onRevoked(ctx -> revoked.add("b " + ctx.term())).build());
      InMemoryRing.Member c = ring.start("c", leader(2).preempt(true).build());
      ring.await("b leads", () -> allFollow(List.of(a, b, c), "b"));
      Term first = b.service().census().term();
      InMemoryRing.Member z = ring.start("z", leader(10).preempt(true).build());
      List<InMemoryRing.Member> all = List.of(a, b, c, z);
      ring.await("z takes over", () -> allFollow(all, "z"));
      assertThat(z.service().census().term()).isGreaterThan(first);
      assertThat(revoked).containsExactly("b " + first);
      ring.runFor(Duration.ofSeconds(3));
      assertThat(allFollow(all, "z")).isTrue();
    }
  }

  @Test
  void withoutPreemptionTheLeaderStays() {
    try (InMemoryRing ring = InMemoryRing.create(64)) {
      InMemoryRing.Member a = ring.start("a", leader(1).build());
      InMemoryRing.Member b = ring.start("b", leader(3).build());
      InMemoryRing.Member c = ring.start("c", leader(2).build());
      ring.await("b leads", () -> allFollow(List.of(a, b, c), "b"));
      Term first = b.service().census().term();
      InMemoryRing.Member z = ring.start("z", leader(10).build());
      ring.await(
          "z is admitted to the voting membership",
          () -> b.service().census().voters().contains(MemberId.of("z")));
      ring.runFor(Duration.ofSeconds(5));
      assertThat(allFollow(List.of(a, b, c, z), "b")).isTrue();
      assertThat(b.service().census().term()).isEqualTo(first);
    }
  }
}
