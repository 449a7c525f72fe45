package io.habitat.site.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Health;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.core.json.CensusJson;
import io.habitat.core.metrics.HabitatMetrics;
import io.habitat.test.network.InMemoryRing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operations page's examples: metrics, probes and the census as JSON, on the in-memory ring.
 */
class OperationsExamplesTest {

  private static void bindMetrics(Supervisor supervisor, MeterRegistry registry) {
    // tag::metrics[]
    new HabitatMetrics(supervisor).bindTo(registry);
    // end::metrics[]
  }

  // tag::probes[]
  /** Liveness: the supervisor runs. A member that is not leader is still alive. */
  static boolean live(Supervisor supervisor) {
    return supervisor.state() == Supervisor.State.STARTED;
  }

  /**
   * Readiness: start-up finished (joined, initialised, strict binds met) and health not critical.
   */
  static boolean ready(Service service) {
    var startUp = service.ready().toCompletableFuture();
    return startUp.isDone()
        && !startUp.isCompletedExceptionally()
        && service.health() != Health.CRITICAL;
  }

  // end::probes[]

  private static String censusAsJson(Service service) {
    // tag::census-json[]
    String json = CensusJson.toJson(service.census());
    // end::census-json[]
    return json;
  }

  @Test
  void metricsProbesAndTheCensusReportTheGroup() {
    try (InMemoryRing ring = InMemoryRing.create(21)) {
      ServiceConfig config =
          ServiceConfig.builder(ServiceGroup.parse("orders.main"))
              .topology(Topology.LEADER)
              .build();
      InMemoryRing.Member a = ring.start("a", config);
      assertThat(live(a.supervisor())).isTrue();
      ring.await("a ready", () -> ready(a.service())); // start-up ends once it has joined
      ring.runFor(Duration.ofSeconds(2));
      assertThat(a.service().isLeader()).as("alone, below the bootstrap size").isFalse();
      InMemoryRing.Member b = ring.start("b", config);
      InMemoryRing.Member c = ring.start("c", config);
      for (InMemoryRing.Member m : List.of(a, b, c)) {
        ring.await(m.name() + " ready", () -> ready(m.service()));
      }
      ring.await("c leads", () -> c.service().isLeader());

      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      bindMetrics(c.supervisor(), registry);
      assertThat(registry.get("habitat.leader").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("habitat.term").gauge().value()).isGreaterThanOrEqualTo(1.0);
      assertThat(registry.get("habitat.members").tag("state", "alive").gauge().value())
          .isEqualTo(3.0);

      String json = censusAsJson(a.service());
      assertThat(json).contains("\"orders.main\"").contains("\"leader\":\"c\"");
    }
  }
}
