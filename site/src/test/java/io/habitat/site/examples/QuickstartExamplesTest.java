package io.habitat.site.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.habitat.core.LeaderContext;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.jgroups.JGroupsTransport;
import io.habitat.jgroups.Preset;
import io.habitat.test.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart page's example on a real JGroups ring: three supervisors in this JVM on the
 * loopback preset (a free port block on 127.0.0.1), a leader, and a failover when it closes.
 */
class QuickstartExamplesTest {

  private final Map<String, Term> leading = new ConcurrentHashMap<>();

  private void startProcessingOrders(LeaderContext leadership) {
    leading.put(Thread.currentThread().getName(), leadership.term());
  }

  private void stopProcessingOrders() {}

  private Supervisor member(String ringName, int port, Path dataDirectory) throws Exception {
    // tag::supervisor[]
    Supervisor supervisor =
        Supervisor.builder()
            .transport(
                JGroupsTransport.builder()
                    .ringName(ringName)
                    .preset(Preset.LOOPBACK)
                    .bindPort(port)
                    .build())
            .dataDirectory(dataDirectory)
            .build();
    Service orders =
        supervisor.register(
            ServiceConfig.builder(ServiceGroup.parse("orders.main"))
                .topology(Topology.LEADER)
                .onElected(leadership -> startProcessingOrders(leadership))
                .onRevoked(leadership -> stopProcessingOrders())
                .build());
    supervisor.start();
    orders.awaitReady(Duration.ofSeconds(30));
    // end::supervisor[]
    return supervisor;
  }

  @Test
  void threeMembersElectALeaderAndFailOverWhenItCloses(@TempDir Path data) throws Exception {
    int port = FreePorts.block(10);
    String ring = "site-quickstart-" + port;
    List<Supervisor> members = new ArrayList<>();
    List<Thread> starters = new ArrayList<>();
    for (String name : List.of("m1", "m2", "m3")) {
      Thread t =
          new Thread(
              () -> {
                try {
                  Supervisor s = member(ring, port, data.resolve(name));
                  synchronized (members) {
                    members.add(s);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      t.start();
      starters.add(t);
    }
    try {
      for (Thread t : starters) {
        t.join(Duration.ofSeconds(60).toMillis());
      }
      assertThat(members).hasSize(3);
      Service first = leaderOf(members);
      Term term = first.census().term();
      assertThat(leading).containsValue(term);

      Supervisor old = supervisorOf(members, first);
      old.close();
      List<Supervisor> survivors = new ArrayList<>(members);
      survivors.remove(old);
      Service second = leaderOf(survivors);
      assertThat(second.census().term()).isGreaterThan(term);
    } finally {
      synchronized (members) {
        members.forEach(Supervisor::close);
      }
    }
  }

  private static Service leaderOf(List<Supervisor> supervisors) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                supervisors.stream()
                    .flatMap(s -> s.services().stream())
                    .filter(Service::isLeader)
                    .findFirst()
                    .orElse(null),
            s -> s != null);
  }

  private static Supervisor supervisorOf(List<Supervisor> supervisors, Service service) {
    return supervisors.stream()
        .filter(s -> s.services().contains(service))
        .findFirst()
        .orElseThrow();
  }
}
