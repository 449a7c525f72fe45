package io.habitat.test.network;

import static io.habitat.test.network.Groups.allFollow;
import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Census;
import io.habitat.core.Health;
import io.habitat.core.HealthCheck;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Health: only CRITICAL moves leadership. */
class HealthTest {

  private static final ServiceGroup DB = ServiceGroup.parse("db.main");

  private static ServiceConfig.Builder leader(long suitability) {
    return ServiceConfig.builder(DB)
        .topology(Topology.LEADER)
        .suitability(suitability)
        .healthInterval(Duration.ofMillis(200));
  }

  private static Optional<Census.Member> seen(InMemoryRing.Member by, String member) {
    return by.service().census().member(MemberId.of(member));
  }

  @Test
  void aCriticalMemberIsNotEligibleAndNeverElected() {
    try (InMemoryRing ring = InMemoryRing.create(51)) {
      List<String> elected = new ArrayList<>();
      InMemoryRing.Member a = ring.start("a", leader(1).build());
      InMemoryRing.Member b = ring.start("b", leader(3).build());
      InMemoryRing.Member c =
          ring.start(
              "c",
              leader(9)
                  .healthCheck(HealthCheck.always(Health.CRITICAL))
                  .onElected(ctx -> elected.add("c " + ctx.term()))
                  .build());
      ring.await("b leads, not the critical c", () -> allFollow(List.of(a, b, c), "b"));
      ring.await(
          "a sees c critical and not eligible",
          () ->
              seen(a, "c").map(m -> !m.eligible() && m.health() == Health.CRITICAL).orElse(false));
      assertThat(c.service().health()).isEqualTo(Health.CRITICAL);
      assertThat(c.service().census().selfMember().eligible()).isFalse();
      assertThat(seen(a, "b").map(Census.Member::eligible)).contains(true);

      ring.crash(b);
      ring.await("a leads after b crashed", () -> allFollow(List.of(a, c), "a"));
      ring.runFor(Duration.ofSeconds(5));
      assertThat(allFollow(List.of(a, c), "a")).isTrue();
      assertThat(elected).isEmpty();
    }
  }

  @Test
  void aLeaderThatStaysCriticalForTheThresholdAbdicates() {
    try (InMemoryRing ring = InMemoryRing.create(52)) {
      int[] checksSinceTrouble = new int[1];
      boolean[] trouble = new boolean[1];
      List<Integer> revokedAfterChecks = new ArrayList<>();
      // Once in trouble: critical, critical, ok (the count starts again), then critical for good.
      HealthCheck check =
          () -> {
            if (!trouble[0]) {
              return Health.OK;
            }
            int n = ++checksSinceTrouble[0];
            return n == 3 ? Health.OK : Health.CRITICAL;
          };
      InMemoryRing.Member a = ring.start("a", leader(1).build());
      InMemoryRing.Member b =
          ring.start(
              "b",
              leader(3)
                  .healthCheck(check)
                  .criticalThreshold(3)
                  .onRevoked(ctx -> revokedAfterChecks.add(checksSinceTrouble[0]))
                  .build());
      InMemoryRing.Member c = ring.start("c", leader(2).build());
      List<InMemoryRing.Member> all = List.of(a, b, c);
      ring.await("b leads", () -> allFollow(all, "b"));
      Term first = b.service().census().term();
      trouble[0] = true;
      ring.await("c leads after b abdicated", () -> allFollow(all, "c"));
      assertThat(c.service().census().term()).isGreaterThan(first);
      // Checks 4, 5 and 6 are the three consecutive critical ones.
      assertThat(revokedAfterChecks).containsExactly(6);
      assertThat(b.service().health()).isEqualTo(Health.CRITICAL);
      ring.runFor(Duration.ofSeconds(3));
      assertThat(allFollow(all, "c")).isTrue();
      assertThat(seen(a, "b").map(Census.Member::eligible)).contains(false);
    }
  }

  @Test
  void warningAndUnknownDoNotMoveLeadership() {
    try (InMemoryRing ring = InMemoryRing.create(53)) {
      Health[] reported = {Health.OK};
      boolean[] broken = new boolean[1];
      HealthCheck check =
          () -> {
            if (broken[0]) {
              throw new IllegalStateException("the check itself failed");
            }
            return reported[0];
          };
      InMemoryRing.Member a = ring.start("a", leader(1).build());
      InMemoryRing.Member b = ring.start("b", leader(3).healthCheck(check).build());
      InMemoryRing.Member c = ring.start("c", leader(2).build());
      List<InMemoryRing.Member> all = List.of(a, b, c);
      ring.await("b leads", () -> allFollow(all, "b"));
      Term term = b.service().census().term();

      reported[0] = Health.WARNING;
      ring.await(
          "a sees b's warning",
          () -> seen(a, "b").map(m -> m.health() == Health.WARNING).orElse(false));
      reported[0] = Health.UNKNOWN;
      ring.runFor(Duration.ofSeconds(3));
      assertThat(seen(a, "b").map(Census.Member::health)).contains(Health.UNKNOWN);
      broken[0] = true;
      ring.runFor(Duration.ofSeconds(3));
      assertThat(b.service().health()).isEqualTo(Health.UNKNOWN);
      assertThat(b.supervisor().hookFailures()).isGreaterThanOrEqualTo(10);

      assertThat(allFollow(all, "b")).isTrue();
      assertThat(b.service().census().term()).isEqualTo(term);
      assertThat(b.service().isLeader()).isTrue();
      assertThat(seen(a, "b").map(Census.Member::eligible)).contains(true);
    }
  }
}
