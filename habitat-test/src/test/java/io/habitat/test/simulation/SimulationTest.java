package io.habitat.test.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Topology;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the simulation for a wall-time budget per topology ({@code habitat.simulation.seconds}, 60
 * in the build, far more with {@code -Psoak}) and requires every invariant to hold on every seed. A
 * failure prints each failed seed's trace tail and the command that replays it.
 */
class SimulationTest {

  private static final long SECONDS = Long.getLong("habitat.simulation.seconds", 60);
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  @ParameterizedTest
  @EnumSource(Topology.class)
  void everyInvariantHoldsOnEverySeed(Topology topology) {
    SimulationConfig config = SimulationConfig.defaults().withTopology(topology);
    SimulationRunner.Summary s =
        SimulationRunner.run(config, 1, Long.MAX_VALUE, SECONDS * 1000, THREADS, false);
    for (SimulationResult r : s.failures()) {
      SimulationRunner.report(r, config, System.out);
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %d seeds in %.1f s (%.0f seeds/s on %d threads), %d elections, %d checked for"
            + " message cost%n%s%n",
        topology.configName(),
        s.seeds(),
        s.wallSeconds(),
        s.seedsPerSecond(),
        THREADS,
        s.elections(),
        s.checkedElections(),
        s.line());
    assertThat(s.failures()).as("seeds that broke an invariant").isEmpty();
    assertThat(s.seeds()).as("seeds run within the budget").isPositive();
    if (topology.electsLeader()) {
      assertThat(s.elections()).as("elections").isGreaterThan(s.seeds());
      assertThat(s.checkedElections()).as("elections checked for message cost").isPositive();
      assertThat(s.maxMessagesPerElection()).isLessThanOrEqualTo(2L * 7);
    }
  }
}
