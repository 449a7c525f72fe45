package io.habitat.test.network;

import static io.habitat.test.network.Groups.allFollow;
import static io.habitat.test.network.Groups.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.Bind;
import io.habitat.core.BoundGroup;
import io.habitat.core.Census;
import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Binds: a service that depends on another group, without joining it. */
class BindTest {

  private static final ServiceGroup DB = ServiceGroup.parse("db.main");
  private static final ServiceGroup WEB = ServiceGroup.parse("web.main");

  private static ServiceConfig db(String name, long suitability) {
    return ServiceConfig.builder(DB)
        .topology(Topology.LEADER)
        .suitability(suitability)
        .exports(Map.of("host", name + ".example", "port", "5432"))
        .build();
  }

  private static Optional<MemberId> boundLeader(InMemoryRing.Member m) {
    return Optional.ofNullable(m.service().bound("database").leader());
  }

  private static Map<String, String> leaderExports(BoundGroup g) {
    return g.leaderMember().map(Census.Member::exports).orElse(Map.of());
  }

  @Test
  void aStrictBindHoldsStartUpUntilTheBoundGroupHasALeaderThenFollowsItsLeader() {
    try (InMemoryRing ring = InMemoryRing.create(81)) {
      List<BoundGroup> changes = new ArrayList<>();
      List<BoundGroup> atReady = new ArrayList<>();
      InMemoryRing.Member w =
          ring.start(
              "w",
              ServiceConfig.builder(WEB)
                  .bind(Bind.strict("database", DB))
                  .onBindChanged(changes::add)
                  .build());
      w.service().ready().thenAccept(c -> atReady.add(w.service().bound("database")));
      InMemoryRing.Member a = ring.start("a", db("a", 1));
      InMemoryRing.Member b = ring.start("b", db("b", 3));
      // Two of the three bootstrap members: no leader yet.
      ring.runFor(Duration.ofSeconds(3));
      BoundGroup waiting = w.service().bound("database");
      assertThat(waiting.topology()).isEqualTo(Topology.LEADER);
      assertThat(waiting.leader()).isNull();
      assertThat(waiting.satisfied()).isFalse();
      assertThat(waiting.members())
          .extracting(Census.Member::id)
          .containsExactly(MemberId.of("a"), MemberId.of("b"));
      assertThat(done(w.service().ready())).isFalse();
      assertThatThrownBy(() -> w.service().awaitReady(Duration.ofMillis(20)))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining("web.main")
          .hasMessageContaining("bind 'database' to db.main to have a leader");

      InMemoryRing.Member c = ring.start("c", db("c", 2));
      ring.await("w finished start-up", () -> done(w.service().ready()));
      ring.await("all follow b", () -> allFollow(List.of(a, b, c), "b"));
      assertThat(atReady).hasSize(1);
      assertThat(atReady.get(0).leader()).isEqualTo(MemberId.of("b"));
      Term first = b.service().census().term();
      ring.await(
          "w sees b's exports",
          () ->
              leaderExports(w.service().bound("database"))
                  .equals(Map.of("host", "b.example", "port", "5432")));
      BoundGroup bound = w.service().bound("database");
      assertThat(bound.term()).isEqualTo(first);
      assertThat(bound.satisfied()).isTrue();
      assertThat(bound.members())
          .extracting(Census.Member::id)
          .containsExactly(MemberId.of("a"), MemberId.of("b"), MemberId.of("c"));
      assertThat(bound.members())
          .filteredOn(m -> m.id().equals(MemberId.of("a")))
          .extracting(Census.Member::exports)
          .containsExactly(Map.of("host", "a.example", "port", "5432"));

      ring.crash(b);
      ring.await("c leads after b crashed", () -> allFollow(List.of(a, c), "c"));
      ring.await(
          "w's bind hook saw c with its exports",
          () ->
              !changes.isEmpty()
                  && MemberId.of("c").equals(changes.get(changes.size() - 1).leader())
                  && leaderExports(changes.get(changes.size() - 1))
                      .equals(Map.of("host", "c.example", "port", "5432")));
      BoundGroup last = changes.get(changes.size() - 1);
      assertThat(last.term()).isEqualTo(c.service().census().term()).isGreaterThan(first);
      assertThat(boundLeader(w)).contains(MemberId.of("c"));
      assertThat(changes).anyMatch(g -> MemberId.of("b").equals(g.leader()));
      assertThatThrownBy(() -> w.service().bound("cache"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("database");
    }
  }

  @Test
  void aNonStrictBindDoesNotHoldStartUpAndAStrictBindToAStandaloneGroupNeedsOneMember() {
    try (InMemoryRing ring = InMemoryRing.create(82)) {
      ServiceGroup cache = ServiceGroup.parse("cache.main");
      InMemoryRing.Member w =
          ring.start(
              "w",
              ServiceConfig.builder(WEB)
                  .bind(Bind.of("database", DB))
                  .bind(Bind.strict("cache", cache))
                  .build());
      ring.runFor(Duration.ofSeconds(2));
      assertThat(done(w.service().ready())).isFalse();
      InMemoryRing.Member k =
          ring.start("k", ServiceConfig.builder(cache).exports(Map.of("port", "11211")).build());
      ring.await("w is ready once a cache member is alive", () -> done(w.service().ready()));
      assertThat(w.service().bound("database").satisfied()).isFalse();
      ring.await(
          "w sees the cache's exports",
          () ->
              w.service().bound("cache").members().stream()
                  .anyMatch(m -> m.exports().equals(Map.of("port", "11211"))));
      assertThat(w.service().bound("cache").leader()).isNull();
      assertThat(w.service().bound("cache").topology()).isEqualTo(Topology.STANDALONE);
      assertThat(k.service().census().members()).hasSize(1);
    }
  }

  @Test
  void aServiceAddedNextToTheBoundGroupsLeaderSeesItAsTheLeader() {
    try (InMemoryRing ring = InMemoryRing.create(83)) {
      InMemoryRing.Member a = ring.start("a", db("a", 1));
      InMemoryRing.Member b = ring.start("b", db("b", 3));
      InMemoryRing.Member c = ring.start("c", db("c", 2));
      ring.await("b leads", () -> allFollow(List.of(a, b, c), "b"));
      ring.runFor(Duration.ofSeconds(2));
      // Registered later in the supervisor of db's leader: b's own heartbeats never reach it.
      Service w =
          b.supervisor()
              .register(
                  ServiceConfig.builder(WEB)
                      .memberId(MemberId.of("w"))
                      .bind(Bind.strict("database", DB))
                      .build());
      ring.await("w finished start-up", () -> done(w.ready()));
      BoundGroup g = w.bound("database");
      assertThat(g.leader()).isEqualTo(MemberId.of("b"));
      assertThat(g.term()).isEqualTo(b.service().census().term());
      assertThat(leaderExports(g)).isEqualTo(Map.of("host", "b.example", "port", "5432"));
      ring.await("w sees all three members", () -> w.bound("database").members().size() == 3);
    }
  }
}
