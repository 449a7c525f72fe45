package io.habitat.test.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.MemberId;
import io.habitat.core.Role;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Timing;
import io.habitat.core.Topology;
import io.habitat.core.internal.GroupEngine;
import io.habitat.core.internal.SupervisorRuntime;
import io.habitat.core.internal.WireCodec;
import io.habitat.test.network.InMemoryNetwork;
import io.habitat.test.network.InMemoryTransport;
import io.habitat.test.network.VirtualNode;
import io.habitat.test.network.VirtualTime;
import io.habitat.test.store.InMemoryDataDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade: members that speak only protocol version 1 (the previous release's wire
 * format, down to the byte; see WireCodecTest) share a ring with members of the current version.
 * The current members fall back to version 1 while an old member is alive, the election keeps every
 * invariant, and they speak the current version again once the last old member is gone.
 */
class MixedVersionTest {

  private static final ServiceGroup GROUP = ServiceGroup.parse("db.upgrade");

  @Test
  void theElectionKeepsEveryInvariantInAMixedRing() {
    for (int old = 1; old <= 2; old++) {
      SimulationConfig config =
          SimulationConfig.defaults().withMembers(3 + old).withOldMembers(old);
      SimulationRunner.Summary s = SimulationRunner.run(config, 1, 100, 60_000, 1, false);
      for (SimulationResult r : s.failures()) {
        SimulationRunner.report(r, config, System.out);
      }
      assertThat(s.failures())
          .as("seeds with %d old members that broke an invariant", old)
          .isEmpty();
      assertThat(s.elections()).isPositive();
    }
  }

  /** One member: its node, transport and runtime. */
  private record Node(VirtualNode node, InMemoryTransport transport, SupervisorRuntime runtime) {}

  private static Node start(VirtualTime time, InMemoryNetwork net, String name, int version) {
    VirtualNode node = time.newNode(name);
    InMemoryTransport transport = net.newTransport(node);
    SupervisorRuntime r =
        new SupervisorRuntime(
            name,
            transport,
            new InMemoryDataDirectory(name).open(),
            null,
            node,
            false,
            time.newNode(name + "-hooks"),
            Timing.defaults(),
            Set.of(),
            version);
    r.register(
        ServiceConfig.builder(GROUP)
            .topology(Topology.LEADER)
            .memberId(MemberId.of(name))
            .suitability(name.equals("old") ? 9 : 1)
            .build());
    r.start();
    return new Node(node, transport, r);
  }

  @Test
  void currentMembersSpeakTheOldVersionOnlyWhileAnOldMemberIsAlive() {
    VirtualTime time = new VirtualTime();
    InMemoryNetwork net = new InMemoryNetwork(time, 11);
    List<Node> nodes = new ArrayList<>();
    nodes.add(start(time, net, "old", 1));
    nodes.add(start(time, net, "new1", WireCodec.VERSION));
    nodes.add(start(time, net, "new2", WireCodec.VERSION));
    Node old = nodes.get(0);
    Node new1 = nodes.get(1);
    Node new2 = nodes.get(2);

    assertThat(
            time.runUntil(
                () -> leads(old) && follows(new1, "old") && follows(new2, "old"),
                Duration.ofSeconds(30)))
        .as("the old member, the most suitable, leads a mixed ring")
        .isTrue();
    assertThat(new1.runtime().wireVersion()).isEqualTo(1);
    assertThat(new2.runtime().wireVersion()).isEqualTo(1);
    // The old member drops what it cannot read (the current members' probes, every 2 s), and
    // the ring stays as it is.
    time.runFor(Duration.ofSeconds(5));
    assertThat(leads(old) && follows(new1, "old") && follows(new2, "old")).isTrue();
    assertThat(new1.runtime().wireVersion()).isEqualTo(1);

    // The old member is replaced: the others fail over and speak the current version again.
    net.crash(old.transport());
    old.node().crash();
    assertThat(
            time.runUntil(
                () ->
                    (leads(new2) && follows(new1, "new2"))
                        || (leads(new1) && follows(new2, "new1")),
                Duration.ofSeconds(30)))
        .as("a current member leads once the old one is gone")
        .isTrue();
    // ... and speak the current version once the ring's view no longer has the old member.
    assertThat(
            time.runUntil(
                () ->
                    new1.runtime().wireVersion() == WireCodec.VERSION
                        && new2.runtime().wireVersion() == WireCodec.VERSION,
                Duration.ofSeconds(30)))
        .as("the current version once the old member left the view")
        .isTrue();
  }

  private static boolean leads(Node n) {
    GroupEngine e = n.runtime().started(GROUP) ? n.runtime().engine(GROUP) : null;
    return e != null && e.role() == Role.LEADER;
  }

  private static boolean follows(Node n, String leader) {
    GroupEngine e = n.runtime().started(GROUP) ? n.runtime().engine(GROUP) : null;
    return e != null && MemberId.of(leader).equals(e.leader());
  }
}
