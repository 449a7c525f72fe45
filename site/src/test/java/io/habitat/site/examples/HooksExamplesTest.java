package io.habitat.site.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.habitat.core.Census;
import io.habitat.core.HabitatException;
import io.habitat.core.Health;
import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.event.HabitatEvent;
import io.habitat.test.network.InMemoryRing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hooks page's examples, on the in-memory ring. */
class HooksExamplesTest {

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<RunnableScheduledFuture<?>> jobs = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler =
      new ScheduledThreadPoolExecutor(1) {
        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(
            Runnable runnable, RunnableScheduledFuture<V> task) {
          jobs.add(task);
          return task;
        }
      };

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private void sweepExpiredOrders(Term term) {
    calls.add("sweep " + term);
  }

  private ServiceConfig sweeper() {
    // tag::leader-work[]
    ServiceConfig sweeper =
        ServiceConfig.builder(ServiceGroup.parse("orders.sweeper"))
            .topology(Topology.LEADER)
            .onElected(
                leadership -> {
                  // Return at once: long work runs on the application's own threads.
                  ScheduledFuture<?> job =
                      scheduler.scheduleWithFixedDelay(
                          () -> {
                            if (leadership.isLeader()) { // false once the quorum lease is lost
                              sweepExpiredOrders(leadership.term()); // fence writes with the term
                            }
                          },
                          0,
                          30,
                          TimeUnit.SECONDS);
                  leadership.revocation().thenRun(() -> job.cancel(false));
                })
            .build();
    // end::leader-work[]
    return sweeper;
  }

  @Test
  void leaderWorkRunsOnItsOwnThreadAndStopsWithTheTerm() {
    try (InMemoryRing ring = InMemoryRing.create(11)) {
      List<InMemoryRing.Member> members =
          List.of(
              ring.start("a", sweeper()), ring.start("b", sweeper()), ring.start("c", sweeper()));
      ring.await("a leader", () -> members.stream().anyMatch(m -> m.service().isLeader()));
      InMemoryRing.Member leader =
          members.stream().filter(m -> m.service().isLeader()).findFirst().orElseThrow();
      Term first = leader.service().census().term();
      ring.await("the elected hook ran", () -> !jobs.isEmpty());
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("sweep " + first));
      assertThat(jobs).hasSize(1);

      leader.service().yieldLeadership();
      ring.await(
          "another leader",
          () -> members.stream().anyMatch(m -> m != leader && m.service().isLeader()));
      ring.await("the old term's job is cancelled", () -> jobs.get(0).isCancelled());
      ring.await("the new leader's job is scheduled", () -> jobs.size() == 2);
      assertThat(jobs.get(1).isCancelled()).isFalse();
    }
  }

  private static final class SearchIndex {
    private volatile boolean open = true;
    private final AtomicLong applied = new AtomicLong();

    boolean isOpen() {
      return open;
    }

    long appliedSequence() {
      return applied.get();
    }
  }

  private static ServiceConfig search(SearchIndex index) {
    // tag::health[]
    ServiceConfig search =
        ServiceConfig.builder(ServiceGroup.parse("search.main"))
            .topology(Topology.LEADER)
            .healthCheck(() -> index.isOpen() ? Health.OK : Health.CRITICAL)
            .suitability(() -> index.appliedSequence()) // the most up-to-date replica ranks first
            .build();
    // end::health[]
    return search;
  }

  @Test
  void theMostSuitableMemberLeadsAndACriticalLeaderAbdicates() {
    try (InMemoryRing ring = InMemoryRing.create(12)) {
      SearchIndex ia = new SearchIndex();
      SearchIndex ib = new SearchIndex();
      SearchIndex ic = new SearchIndex();
      ia.applied.set(10);
      ib.applied.set(20);
      ic.applied.set(30);
      InMemoryRing.Member a = ring.start("a", search(ia));
      InMemoryRing.Member b = ring.start("b", search(ib));
      InMemoryRing.Member c = ring.start("c", search(ic));
      ring.await("c leads", () -> c.service().isLeader());
      ic.open = false;
      ring.await("b leads", () -> b.service().isLeader());
      assertThat(c.service().isLeader()).isFalse();
      assertThat(a.service().census().leaderId()).contains(MemberId.of("b"));
    }
  }

  private void listenerExample(io.habitat.core.Service service) {
    // tag::listener[]
    service.addListener(
        new ServiceListener() {
          @Override
          public void elected(LeaderContext leadership) {
            calls.add("elected " + leadership.term());
          }

          @Override
          public void revoked(LeaderContext leadership) {
            calls.add("revoked " + leadership.term());
          }

          @Override
          public void censusChanged(Census census) {
            calls.add("leader " + census.leaderId().map(MemberId::value).orElse("-"));
          }

          @Override
          public void failed(HabitatException error) {
            calls.add("failed " + error.getMessage());
          }
        });
    // end::listener[]
  }

  private void eventsExample(io.habitat.core.Supervisor supervisor) {
    // tag::events[]
    supervisor.addEventListener(
        event -> {
          if (event instanceof HabitatEvent.LeaderChanged changed && changed.failover() != null) {
            calls.add(changed.group() + " failed over in " + changed.failover().toMillis() + " ms");
          } else if (event instanceof HabitatEvent.HookHung hung) {
            calls.add(hung.hook() + " hook running for " + hung.running());
          }
        });
    // end::events[]
  }

  @Test
  void listenersAndEventsSeeTheElectionAndTheFailover() {
    try (InMemoryRing ring = InMemoryRing.create(13)) {
      ServiceConfig config =
          ServiceConfig.builder(ServiceGroup.parse("orders.main"))
              .topology(Topology.LEADER)
              .build();
      InMemoryRing.Member a = ring.start("a", config);
      InMemoryRing.Member b = ring.start("b", config);
      InMemoryRing.Member c = ring.start("c", config);
      for (InMemoryRing.Member m : List.of(a, b, c)) {
        listenerExample(m.service());
        eventsExample(m.supervisor());
      }
      ring.await("c leads", () -> c.service().isLeader());
      ring.crash(c);
      ring.await("b leads", () -> b.service().isLeader());
      Term term = b.service().census().term();
      ring.await("b elected", () -> calls.contains("elected " + term));
      ring.await("failover seen", () -> calls.stream().anyMatch(s -> s.contains("failed over in")));
      assertThat(calls).contains("leader b");
    }
  }
}
