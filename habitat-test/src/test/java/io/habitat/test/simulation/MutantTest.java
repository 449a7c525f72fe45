package io.habitat.test.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Topology;
import io.habitat.core.internal.GroupEngine.Mutation;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proof that the simulation can fail: each deliberate defect of the engine must break an invariant
 * within a small seed budget. The seed that caught it is printed.
 */
class MutantTest {

  private static final long SEED_BUDGET = 500;

  @ParameterizedTest
  @EnumSource(Mutation.class)
  void theSimulationCatchesTheMutant(Mutation mutation) {
    // The initializer's gate only exists in the initializer topology.
    Topology topology =
        mutation == Mutation.RELEASE_BEFORE_HEALTH ? Topology.INITIALIZER : Topology.LEADER;
    SimulationConfig config =
        SimulationConfig.defaults().withTopology(topology).withMutations(Set.of(mutation));
    SimulationRunner.Summary s = SimulationRunner.run(config, 1, SEED_BUDGET, 120_000, 1, true);
    assertThat(s.failures())
        .as("%s must break an invariant within %d seeds", mutation, SEED_BUDGET)
        .isNotEmpty();
    SimulationResult caught = s.failures().get(0);
    System.out.println(
        "mutant "
            + mutation
            + " caught by seed "
            + caught.seed()
            + " after "
            + s.seeds()
            + " seeds: "
            + caught.violations().get(0));
  }
}
