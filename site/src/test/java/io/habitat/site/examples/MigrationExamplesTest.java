package io.habitat.site.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.LeaderContext;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.test.network.InMemoryRing;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The migration page's examples: what a LeaderLatch or a leader initiator becomes. */
class MigrationExamplesTest {

  private final List<String> calls = new CopyOnWriteArrayList<>();

  // tag::singleton[]
  /** A cluster singleton: runs on one member of the group at a time, fenced by its term. */
  final class ReportPublisher {
    private volatile Optional<LeaderContext> leadership = Optional.empty();

    ServiceConfig config() {
      return ServiceConfig.builder(ServiceGroup.parse("reports.main"))
          .topology(Topology.LEADER)
          .onElected(granted -> leadership = Optional.of(granted)) // OnGrantedEvent
          .onRevoked(revoked -> leadership = Optional.empty()) // OnRevokedEvent
          .build();
    }

    void publishIfLeader(String report) {
      leadership
          .filter(LeaderContext::isLeader) // hasLeadership(), as of now
          .ifPresent(l -> publish(report, l.term())); // fenced by the term
    }
  }

  // end::singleton[]

  private void publish(String report, Term term) {
    calls.add(report + " " + term);
  }

  private static void giveUp(Service service) {
    // tag::yield[]
    service.yieldLeadership(); // Context.yield(): the next-ranked member takes over
    // end::yield[]
  }

  @Test
  void onlyTheLeaderPublishesAndAYieldHandsOver() {
    try (InMemoryRing ring = InMemoryRing.create(31)) {
      ReportPublisher pa = new ReportPublisher();
      ReportPublisher pb = new ReportPublisher();
      ReportPublisher pc = new ReportPublisher();
      InMemoryRing.Member a = ring.start("a", pa.config());
      InMemoryRing.Member b = ring.start("b", pb.config());
      InMemoryRing.Member c = ring.start("c", pc.config());
      ring.await("c leads", () -> c.service().isLeader());
      ring.await("c knows", () -> pc.leadership.isPresent());
      Term first = c.service().census().term();
      for (ReportPublisher p : List.of(pa, pb, pc)) {
        p.publishIfLeader("daily");
      }
      assertThat(calls).containsExactly("daily " + first);

      giveUp(c.service());
      ring.await("another leads", () -> a.service().isLeader() || b.service().isLeader());
      ReportPublisher next = a.service().isLeader() ? pa : pb;
      ring.await("the next knows", () -> next.leadership.isPresent() && pc.leadership.isEmpty());
      for (ReportPublisher p : List.of(pa, pb, pc)) {
        p.publishIfLeader("hourly");
      }
      Term second = (next == pa ? a : b).service().census().term();
      assertThat(second).isGreaterThan(first);
      assertThat(calls).containsExactly("daily " + first, "hourly " + second);
    }
  }
}
