package io.habitat.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmarked group settles and then sends what a settled group sends, no more. */
class EngineClusterTest {

  @Test
  void aSettledGroupDeliversHeartbeatsToAllAndTheFollowersAcknowledgementsEachRound() {
    for (int n : new int[] {3, 7}) {
      EngineCluster cluster = new EngineCluster(n);
      cluster.settle();
      long round = cluster.round();
      assertThat(round).as("messages per round of %d engines", n).isEqualTo(n * (n - 1L) + n - 1);
    }
  }
}
