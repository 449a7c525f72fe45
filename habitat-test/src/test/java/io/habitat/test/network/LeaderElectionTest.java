package io.habitat.test.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.HabitatException;
import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Role;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.Supervisor;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The leader topology end to end, through the public API, on the in-memory ring. */
class LeaderElectionTest {

  private static final ServiceGroup GROUP = ServiceGroup.parse("db.main");

  private static ServiceConfig leader(long suitability) {
    return ServiceConfig.builder(GROUP).topology(Topology.LEADER).suitability(suitability).build();
  }

  private static Optional<MemberId> agreedLeader(List<InMemoryRing.Member> members) {
    return Groups.agreedLeader(members);
  }

  /** Starts a, b, c with suitabilities 1, 3, 2 and waits until all follow b. */
  private static List<InMemoryRing.Member> startThreeWithBLeading(InMemoryRing ring) {
    InMemoryRing.Member a = ring.start("a", leader(1));
    InMemoryRing.Member b = ring.start("b", leader(3));
    InMemoryRing.Member c = ring.start("c", leader(2));
    ring.await(
        "b leads", () -> agreedLeader(List.of(a, b, c)).equals(Optional.of(MemberId.of("b"))));
    return List.of(a, b, c);
  }

  @Test
  void threeMembersElectTheMostSuitableOne() {
    try (InMemoryRing ring = InMemoryRing.create(1)) {
      InMemoryRing.Member a = ring.start("a", leader(1));
      InMemoryRing.Member b = ring.start("b", leader(5));
      InMemoryRing.Member c = ring.start("c", leader(2));
      List<InMemoryRing.Member> all = List.of(a, b, c);
      ring.await("all agree on a leader", () -> agreedLeader(all).isPresent());
      assertThat(agreedLeader(all)).contains(MemberId.of("b"));
      assertThat(b.service().isLeader()).isTrue();
      assertThat(a.service().isLeader()).isFalse();
      assertThat(b.service().leadership()).map(LeaderContext::term).contains(Term.of(1));
      assertThat(a.service().census().voters())
          .containsExactly(MemberId.of("a"), MemberId.of("b"), MemberId.of("c"));
      assertThat(b.service().census().role()).isEqualTo(Role.LEADER);
    }
  }

  @Test
  void whenTheLeaderCrashesTheNextRankedMemberLeadsAHigherTerm() {
    try (InMemoryRing ring = InMemoryRing.create(2)) {
      List<InMemoryRing.Member> abc = startThreeWithBLeading(ring);
      InMemoryRing.Member a = abc.get(0);
      InMemoryRing.Member b = abc.get(1);
      InMemoryRing.Member c = abc.get(2);
      Term first = b.service().census().term();
      ring.crash(b);
      ring.await(
          "c leads after b crashed",
          () -> agreedLeader(List.of(a, c)).equals(Optional.of(MemberId.of("c"))));
      assertThat(c.service().census().term()).isGreaterThan(first);
      assertThat(a.service().census().member(MemberId.of("b")))
          .map(m -> m.state())
          .contains(MemberState.CONFIRMED);
    }
  }

  @Test
  void theLeaderIsStickyWhenAMoreSuitableMemberJoins() {
    try (InMemoryRing ring = InMemoryRing.create(3)) {
      ServiceConfig small =
          ServiceConfig.builder(GROUP).topology(Topology.LEADER).bootstrapSize(2).build();
      InMemoryRing.Member a = ring.start("a", small);
      InMemoryRing.Member b = ring.start("b", small);
      ring.await("a leader", () -> agreedLeader(List.of(a, b)).isPresent());
      MemberId before = agreedLeader(List.of(a, b)).orElseThrow();
      InMemoryRing.Member z =
          ring.start(
              "z",
              ServiceConfig.builder(GROUP)
                  .topology(Topology.LEADER)
                  .bootstrapSize(2)
                  .suitability(100)
                  .build());
      ring.await(
          "z is admitted to the voting membership",
          () -> a.service().census().voters().contains(MemberId.of("z")));
      ring.runFor(Duration.ofSeconds(3));
      assertThat(agreedLeader(List.of(a, b, z))).contains(before);
    }
  }

  @Test
  void aFrozenLeaderGivesUpTheMomentItWakesAndNeverLeadsAgainItsOldTerm() {
    try (InMemoryRing ring = InMemoryRing.create(4)) {
      List<InMemoryRing.Member> abc = startThreeWithBLeading(ring);
      InMemoryRing.Member a = abc.get(0);
      InMemoryRing.Member b = abc.get(1);
      InMemoryRing.Member c = abc.get(2);
      LeaderContext old = b.service().leadership().orElseThrow();
      ring.freeze(b);
      ring.await(
          "c leads while b is frozen",
          () -> agreedLeader(List.of(a, c)).equals(Optional.of(MemberId.of("c"))));
      // The frozen leader's lease ran out while it slept: the first look says so.
      assertThat(old.isLeader()).isFalse();
      ring.thaw(b);
      ring.await("b follows c", () -> agreedLeader(List.of(a, b, c)).isPresent());
      assertThat(agreedLeader(List.of(a, b, c))).contains(MemberId.of("c"));
      assertThat(old.isRevoked()).isTrue();
    }
  }

  @Test
  void electedAndRevokedArePairedPerTermAlsoOnClose() {
    try (InMemoryRing ring = InMemoryRing.create(5)) {
      InMemoryRing.Member a = ring.start("a", leader(1));
      InMemoryRing.Member b = ring.start("b", leader(3));
      InMemoryRing.Member c = ring.start("c", leader(2));
      Groups.Calls calls = new Groups.Calls();
      b.service().addListener(calls);
      ring.await("b leads", () -> agreedLeader(List.of(a, b, c)).isPresent());
      ring.await("b heard of it", () -> calls.calls.size() == 1);
      b.supervisor().close();
      ring.await("b was revoked", () -> calls.calls.size() == 2);
      assertThat(calls.calls).containsExactly("elected 1", "revoked 1");
      ring.await(
          "c leads after b left gracefully",
          () -> agreedLeader(List.of(a, c)).equals(Optional.of(MemberId.of("c"))));
    }
  }

  @Test
  void yieldHandsLeadershipToTheNextRankedMember() {
    try (InMemoryRing ring = InMemoryRing.create(6)) {
      List<InMemoryRing.Member> abc = startThreeWithBLeading(ring);
      InMemoryRing.Member a = abc.get(0);
      InMemoryRing.Member b = abc.get(1);
      InMemoryRing.Member c = abc.get(2);
      b.service().yieldLeadership();
      ring.await(
          "c leads after b yielded",
          () -> agreedLeader(List.of(a, b, c)).equals(Optional.of(MemberId.of("c"))));
      assertThat(b.service().isLeader()).isFalse();
    }
  }

  @Test
  void aMinorityElectsNoOne() {
    try (InMemoryRing ring = InMemoryRing.create(7)) {
      List<InMemoryRing.Member> abc = startThreeWithBLeading(ring);
      InMemoryRing.Member a = abc.get(0);
      InMemoryRing.Member b = abc.get(1);
      InMemoryRing.Member c = abc.get(2);
      ring.network()
          .partition(List.of(List.of(b.transport()), List.of(a.transport(), c.transport())));
      ring.await(
          "c leads the majority side and b stepped down",
          () ->
              agreedLeader(List.of(a, c)).equals(Optional.of(MemberId.of("c")))
                  && !b.service().isLeader());
      ring.runFor(Duration.ofSeconds(5));
      assertThat(b.service().isLeader()).isFalse();
      assertThat(b.service().census().role()).isNotEqualTo(Role.LEADER);
      ring.network().heal();
      ring.await(
          "after the heal everyone follows c",
          () -> agreedLeader(List.of(a, b, c)).equals(Optional.of(MemberId.of("c"))));
    }
  }

  @Test
  void termsSurviveARestartOfTheWholeGroup() {
    try (InMemoryRing ring = InMemoryRing.create(8)) {
      ServiceConfig config = leader(1);
      InMemoryRing.Member a = ring.start("a", config);
      InMemoryRing.Member b = ring.start("b", config);
      InMemoryRing.Member c = ring.start("c", config);
      ring.await("a leader", () -> agreedLeader(List.of(a, b, c)).isPresent());
      Term before = a.service().census().term();
      ring.crash(a);
      ring.crash(b);
      ring.crash(c);
      InMemoryRing.Member a2 = ring.restart(a, config);
      InMemoryRing.Member b2 = ring.restart(b, config);
      InMemoryRing.Member c2 = ring.restart(c, config);
      ring.await("a leader after restart", () -> agreedLeader(List.of(a2, b2, c2)).isPresent());
      assertThat(a2.service().census().term()).isGreaterThan(before);
    }
  }

  @Test
  void aSecondMemberWithTheSameIdRefusesToJoin() {
    try (InMemoryRing ring = InMemoryRing.create(9)) {
      ServiceConfig config = leader(1);
      ring.start("a", config);
      ring.runFor(Duration.ofSeconds(1));
      InMemoryRing.Member twin =
          ring.start(
              "twin",
              ServiceConfig.builder(GROUP)
                  .topology(Topology.LEADER)
                  .memberId(MemberId.of("a"))
                  .build());
      List<HabitatException> errors = new ArrayList<>();
      twin.service()
          .addListener(
              new ServiceListener() {
                @Override
                public void failed(HabitatException error) {
                  errors.add(error);
                }
              });
      ring.await("the newer member refuses", () -> !errors.isEmpty());
      assertThat(errors.get(0)).hasMessageContaining("member id a is already used");
      assertThat(twin.service().census().role()).isEqualTo(Role.STOPPED);
    }
  }

  @Test
  void theLifecycleIsGuarded() {
    try (InMemoryRing ring = InMemoryRing.create(10)) {
      InMemoryRing.Member a = ring.start("a", leader(1));
      Supervisor s = a.supervisor();
      assertThatThrownBy(s::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("more than once");
      assertThatThrownBy(() -> s.register(leader(2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("already runs a member of db.main");
      s.close();
      s.close();
      assertThat(s.state()).isEqualTo(Supervisor.State.CLOSED);
      assertThatThrownBy(() -> s.register(ServiceConfig.builder(ServiceGroup.of("x")).build()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      assertThatThrownBy(() -> Supervisor.builder().build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no transport");
      Service service = a.service();
      assertThat(service.group()).isEqualTo(GROUP);
    }
  }
}
