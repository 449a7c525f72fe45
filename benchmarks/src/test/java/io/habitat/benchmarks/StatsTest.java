package io.habitat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void anOddCountHasTheMiddleSampleAsMedian() {
    Stats s = stats(90, 40, 120, 60, 75);
    assertThat(s.min()).isEqualTo(40);
    assertThat(s.median()).isEqualTo(75);
    assertThat(s.max()).isEqualTo(120);
    assertThat(s.count()).isEqualTo(5);
  }

  @Test
  void anEvenCountHasTheMeanOfTheTwoMiddleSamplesAsMedian() {
    assertThat(stats(10, 40, 20, 30).median()).isEqualTo(25);
    assertThat(stats(10, 21).median()).isEqualTo(15);
  }

  @Test
  void theRowShowsCountMinMedianMax() {
    assertThat(stats(3, 1, 2).row(6)).isEqualTo("x        3       1       2       3");
    assertThat(new Stats("x").row(6)).isEqualTo("x        0       -       -       -");
  }

  @Test
  void noSamplesHaveNoMedian() {
    assertThatThrownBy(() -> new Stats("empty").median())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no samples of empty");
  }

  private static Stats stats(long... samples) {
    Stats s = new Stats("x");
    for (long sample : samples) {
      s.add(sample);
    }
    return s;
  }
}
