package io.habitat.test.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeds that once broke an invariant, each named after the defect it found (see {@code
 * regression-seeds.txt}). They run on every build.
 */
class RegressionSeedsTest {

  static Stream<Arguments> seeds() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in =
            Objects.requireNonNull(
                RegressionSeedsTest.class.getResourceAsStream("/regression-seeds.txt"));
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        line = line.trim();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\s+", 2);
        out.add(Arguments.of(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : ""));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "seed {0}: {1}")
  @MethodSource("seeds")
  void theSeedPasses(long seed, String defect) {
    SimulationConfig config = SimulationConfig.defaults();
    SimulationResult r = new Simulation(seed, config).run();
    if (!r.passed()) {
      SimulationRunner.report(r, config, System.out);
    }
    assertThat(r.violations()).as("seed %d (%s)", seed, defect).isEmpty();
  }
}
