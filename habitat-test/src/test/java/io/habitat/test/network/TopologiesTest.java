package io.habitat.test.network;

import static io.habitat.test.network.Groups.allFollow;
import static io.habitat.test.network.Groups.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.AppLifecycle;
import io.habitat.core.Census;
import io.habitat.core.ElectionStatus;
import io.habitat.core.Exports;
import io.habitat.core.LeaderInfo;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The standalone and leader topologies end to end, through the public API: exports, followers'
 * reconfiguration and restart.
 */
class TopologiesTest {

  private static final ServiceGroup WEB = ServiceGroup.parse("web.main");
  private static final ServiceGroup DB = ServiceGroup.parse("db.main");

  private static Map<String, String> exportsOf(Census census, String member) {
    return census.member(MemberId.of(member)).map(Census.Member::exports).orElse(Map.of());
  }

  @Test
  void standaloneMembersElectNobodyAndEachSeesEveryonesExports() {
    try (InMemoryRing ring = InMemoryRing.create(21)) {
      ServiceConfig.Builder base = ServiceConfig.builder(WEB);
      InMemoryRing.Member a = ring.start("a", base.exports(Map.of("port", "8001")).build());
      // Alone, a standalone member has nothing to wait for.
      ring.await("a is ready on its own", () -> done(a.service().ready()));
      InMemoryRing.Member b = ring.start("b", base.exports(Map.of("port", "8002")).build());
      InMemoryRing.Member c = ring.start("c", base.exports(Map.of()).build());
      c.service().publishExports(Map.of("port", "8003", "zone", "eu-1"));
      List<InMemoryRing.Member> all = List.of(a, b, c);
      Map<String, Map<String, String>> expected = new LinkedHashMap<>();
      expected.put("a", Map.of("port", "8001"));
      expected.put("b", Map.of("port", "8002"));
      expected.put("c", Map.of("port", "8003", "zone", "eu-1"));
      ring.await(
          "every census shows every member's exports",
          () ->
              all.stream()
                  .allMatch(
                      m ->
                          expected.entrySet().stream()
                              .allMatch(
                                  e ->
                                      exportsOf(m.service().census(), e.getKey())
                                          .equals(e.getValue()))));
      ring.runFor(Duration.ofSeconds(3));
      for (InMemoryRing.Member m : all) {
        Census census = m.service().census();
        assertThat(census.election()).isEqualTo(ElectionStatus.NONE);
        assertThat(census.leaderId()).isEmpty();
        assertThat(census.term()).isEqualTo(Term.ZERO);
        assertThat(census.members()).hasSize(3).noneMatch(Census.Member::leader);
        assertThat(census.initialisation()).isEqualTo(Census.Initialisation.NOT_REQUIRED);
        assertThat(m.service().isLeader()).isFalse();
        assertThat(done(m.service().ready())).isTrue();
        for (Map.Entry<String, Map<String, String>> e : expected.entrySet()) {
          assertThat(exportsOf(census, e.getKey())).isEqualTo(e.getValue());
        }
      }
    }
  }

  /** What one follower's hooks saw, in order. */
  static final class FollowerLog {
    final List<LeaderInfo> reconfigured = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    ServiceConfig.Builder attach(ServiceConfig.Builder b) {
      return b.onReconfigure(
              info -> {
                reconfigured.add(info);
                calls.add("reconfigure " + info.id() + " " + info.term());
              })
          .restartOnReconfigure(AppLifecycle.of(() -> calls.add("stop"), () -> calls.add("start")));
    }

    Optional<LeaderInfo> last() {
      return reconfigured.isEmpty()
          ? Optional.empty()
          : Optional.of(reconfigured.get(reconfigured.size() - 1));
    }
  }

  @Test
  void followersAreReconfiguredAndRestartedForEachNewLeaderAndItsExports() {
    try (InMemoryRing ring = InMemoryRing.create(22)) {
      Map<String, FollowerLog> logs = new LinkedHashMap<>();
      List<InMemoryRing.Member> all = new ArrayList<>();
      for (String name : List.of("a", "b", "c")) {
        FollowerLog log = new FollowerLog();
        logs.put(name, log);
        long s = name.equals("b") ? 3 : name.equals("c") ? 2 : 1;
        all.add(
            ring.start(
                name,
                log.attach(
                        ServiceConfig.builder(DB)
                            .topology(Topology.LEADER)
                            .suitability(s)
                            .exports(Map.of("host", name + ".example", "port", "5432")))
                    .build()));
      }
      InMemoryRing.Member a = all.get(0);
      InMemoryRing.Member b = all.get(1);
      InMemoryRing.Member c = all.get(2);
      FollowerLog logA = logs.values().stream().findFirst().orElseThrow();
      FollowerLog logB = List.copyOf(logs.values()).get(1);
      FollowerLog logC = List.copyOf(logs.values()).get(2);
      ring.await("b leads", () -> allFollow(all, "b"));
      Term first = b.service().census().term();
      LeaderInfo toB =
          new LeaderInfo(
              MemberId.of("b"),
              b.service().census().selfMember().address(),
              Map.of("host", "b.example", "port", "5432"),
              first);
      ring.await(
          "a and c are reconfigured to b",
          () -> logA.last().equals(Optional.of(toB)) && logC.last().equals(Optional.of(toB)));
      assertThat(logB.reconfigured).as("the leader is not reconfigured").isEmpty();

      ring.crash(b);
      ring.await("c leads after b crashed", () -> allFollow(List.of(a, c), "c"));
      Term second = c.service().census().term();
      assertThat(second).isGreaterThan(first);
      LeaderInfo toC =
          new LeaderInfo(
              MemberId.of("c"),
              c.service().census().selfMember().address(),
              Map.of("host", "c.example", "port", "5432"),
              second);
      ring.await("a is reconfigured to c", () -> logA.last().equals(Optional.of(toC)));

      c.service().publishExports(Map.of("host", "c.example", "port", "6432"));
      LeaderInfo toNewPort =
          new LeaderInfo(
              toC.id(), toC.address(), Map.of("host", "c.example", "port", "6432"), second);
      ring.await(
          "a is reconfigured to c's new exports", () -> logA.last().equals(Optional.of(toNewPort)));
      ring.runFor(Duration.ofSeconds(2));
      // Each change is told once, with the leader of the moment; every one restarts the app.
      assertThat(logA.calls)
          .containsExactly(
              "reconfigure b " + first,
              "stop",
              "start",
              "reconfigure c " + second,
              "stop",
              "start",
              "reconfigure c " + second,
              "stop",
              "start");
      assertThat(logA.reconfigured).containsExactly(toB, toC, toNewPort);
      // c followed b, then led: it was reconfigured once, to b.
      assertThat(logC.reconfigured).containsExactly(toB);
    }
  }

  @Test
  void invalidExportsAreRefusedAtOnceAndChangeNothing() {
    try (InMemoryRing ring = InMemoryRing.create(23)) {
      InMemoryRing.Member a =
          ring.start("a", ServiceConfig.builder(WEB).exports(Map.of("port", "8001")).build());
      InMemoryRing.Member b = ring.start("b", ServiceConfig.builder(WEB).build());
      ring.await(
          "b sees a's exports",
          () -> exportsOf(b.service().census(), "a").equals(Map.of("port", "8001")));
      assertThatThrownBy(() -> a.service().publishExports(Map.of("Port", "1")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("export key 'Port' is not valid");
      assertThatThrownBy(() -> a.service().publishExports(Map.of("blob", "x".repeat(2000))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at most " + Exports.MAX_VALUE_CHARS);
      ring.runFor(Duration.ofSeconds(2));
      assertThat(exportsOf(a.service().census(), "a")).isEqualTo(Map.of("port", "8001"));
      assertThat(exportsOf(b.service().census(), "a")).isEqualTo(Map.of("port", "8001"));
    }
  }

  @Test
  void aSuitabilityHookDecidesTheNextElection() {
    try (InMemoryRing ring = InMemoryRing.create(24)) {
      long[] aSuitability = {1};
      ServiceConfig.Builder base =
          ServiceConfig.builder(DB)
              .topology(Topology.LEADER)
              .healthInterval(Duration.ofMillis(200));
      InMemoryRing.Member a =
          ring.start("a", base.suitability(1).suitability(() -> aSuitability[0]).build());
      InMemoryRing.Member b =
          ring.start(
              "b", ServiceConfig.builder(DB).topology(Topology.LEADER).suitability(3).build());
      InMemoryRing.Member c =
          ring.start(
              "c", ServiceConfig.builder(DB).topology(Topology.LEADER).suitability(2).build());
      ring.await("b leads", () -> allFollow(List.of(a, b, c), "b"));
      aSuitability[0] = 7;
      ring.await(
          "c sees a's new suitability",
          () ->
              c.service()
                  .census()
                  .member(MemberId.of("a"))
                  .map(m -> m.suitability() == 7)
                  .orElse(false));
      // Sticky: b still leads; once it is gone, a (now 7) beats c (2).
      assertThat(allFollow(List.of(a, b, c), "b")).isTrue();
      ring.crash(b);
      ring.await("a leads after b crashed", () -> allFollow(List.of(a, c), "a"));
    }
  }

  @Test
  void aFollowerRestartStartsAgainEvenWhenStopFails() {
    try (InMemoryRing ring = InMemoryRing.create(25)) {
      List<String> calls = new ArrayList<>();
      ServiceConfig.Builder base = ServiceConfig.builder(DB).topology(Topology.LEADER);
      InMemoryRing.Member a =
          ring.start(
              "a",
              base.suitability(1)
                  .restartOnReconfigure(
                      AppLifecycle.of(
                          () -> {
                            calls.add("stop");
                            throw new IllegalStateException("stop timed out");
                          },
                          () -> calls.add("start")))
                  .build());
      InMemoryRing.Member b =
          ring.start(
              "b", ServiceConfig.builder(DB).topology(Topology.LEADER).suitability(3).build());
      InMemoryRing.Member c =
          ring.start(
              "c", ServiceConfig.builder(DB).topology(Topology.LEADER).suitability(2).build());
      ring.await("b leads", () -> allFollow(List.of(a, b, c), "b"));
      ring.await("a restarted", () -> calls.size() == 2);
      assertThat(calls).containsExactly("stop", "start");
      ring.await("the failed stop is counted", () -> a.supervisor().hookFailures() == 1);
    }
  }
}
