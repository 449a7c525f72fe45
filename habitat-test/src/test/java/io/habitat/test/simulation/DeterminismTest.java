package io.habitat.test.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same seed gives the same trace; different seeds give different ones. */
class DeterminismTest {

  @Test
  void eachSeedReplaysExactly() {
    SimulationConfig config = SimulationConfig.defaults();
    List<String> first = new ArrayList<>();
    for (long seed = 1; seed <= 40; seed++) {
      first.add(new Simulation(seed, config).run().traceDigest());
    }
    for (long seed = 1; seed <= 40; seed++) {
      SimulationResult again = new Simulation(seed, config).run();
      assertThat(again.traceDigest())
          .as("trace digest of seed %d on its second run", seed)
          .isEqualTo(first.get((int) seed - 1));
    }
    assertThat(new HashSet<>(first)).as("distinct traces of 40 seeds").hasSize(40);
  }

  @Test
  void aReplayWithATraceOfEveryMessageFollowsTheSamePath() {
    SimulationConfig config = SimulationConfig.defaults().withMembers(5);
    SimulationResult plain = new Simulation(7, config).run();
    SimulationResult verbose = new Simulation(7, config).verbose().run();
    assertThat(verbose.elections()).isEqualTo(plain.elections());
    assertThat(verbose.steps()).isEqualTo(plain.steps());
    assertThat(verbose.traceTail().size()).isGreaterThan(plain.traceTail().size());
  }
}
