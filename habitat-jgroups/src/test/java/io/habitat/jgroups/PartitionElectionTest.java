package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A partition and its heal on real JGroups channels in one JVM (traffic dropped with DISCARD, views
 * installed and the merge triggered explicitly, so nothing waits for stock timeouts): the
 * minority's leader steps down, the majority elects a leader of a higher term, and after the heal
 * that leader remains and the census and the group config converge.
 */
class PartitionElectionTest {

  private static final ServiceGroup GROUP = ServiceGroup.parse("db.partition");

  private final JGroupsTransportFixture fixture = new JGroupsTransportFixture();
  private final List<Supervisor> supervisors = new ArrayList<>();

  @AfterEach
  void closeAll() {
    supervisors.forEach(Supervisor::close);
    fixture.close();
  }

  private Service start(Transport transport, String name, int suitability) {
    Supervisor s = fixture.supervisor(transport).name(name).build();
    supervisors.add(s);
    Service service =
        s.register(
            ServiceConfig.builder(GROUP)
                .topology(Topology.LEADER)
                .memberId(MemberId.of(name))
                .suitability(suitability)
                .build());
    s.start();
    return service;
  }

  private static boolean follows(Service s, String leader) {
    return s.census().leaderId().equals(Optional.of(MemberId.of(leader)));
  }

  @Test
  void theMinorityLeaderStepsDownAndTheHigherTermRemainsAfterTheHeal() {
    Transport ta = fixture.newTransport("a");
    Transport tb = fixture.newTransport("b");
    Transport tc = fixture.newTransport("c");
    Service a = start(ta, "a", 1);
    Service b = start(tb, "b", 2);
    Service c = start(tc, "c", 3);
    fixture.await(
        "c leads a, b and c with a voting membership of three",
        () ->
            c.isLeader()
                && follows(a, "c")
                && follows(b, "c")
                && a.census().voters().size() == 3
                && b.census().voters().size() == 3);
    Term first = c.census().term();

    fixture.partition(List.of(List.of(tc), List.of(ta, tb)));

    fixture.await("b leads the majority", () -> b.isLeader() && follows(a, "b"));
    fixture.await("c, cut off from its majority, no longer leads", () -> !c.isLeader());
    Term second = b.census().term();
    assertThat(second.value()).isGreaterThan(first.value());

    // Both sides apply version 1 of the group config, with different content: the majority at the
    // higher term.
    a.applyConfig(1, ConfigFormat.JSON, "{\"side\": \"majority\"}").toCompletableFuture().join();
    c.applyConfig(1, ConfigFormat.JSON, "{\"side\": \"minority\"}").toCompletableFuture().join();
    fixture.await(
        "b holds the majority's config",
        () -> b.groupConfig().map(GroupConfig::document).orElse("").contains("majority"));

    fixture.heal();

    fixture.await(
        "after the heal everyone follows b, in b's term, and sees everyone alive",
        () ->
            b.isLeader()
                && !c.isLeader()
                && List.of(a, b, c).stream()
                    .allMatch(
                        s ->
                            follows(s, "b")
                                && s.census().term().equals(b.census().term())
                                && s.census().members().stream()
                                    .allMatch(m -> m.state() == MemberState.ALIVE)
                                && s.census().members().size() == 3));
    assertThat(b.census().term().value()).isGreaterThanOrEqualTo(second.value());
    fixture.await(
        "the group config converged on the majority's document (higher term)",
        () ->
            List.of(a, b, c).stream()
                .allMatch(
                    s ->
                        s.groupConfig()
                            .map(GroupConfig::document)
                            .orElse("")
                            .contains("majority")));
  }
}
