package io.habitat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MeasurementTest {

  @Test
  void samplesGiveMinMedianMax() {
    Measurement m = measured(90, 40, 120, 60, 75);
    assertThat(m.min()).hasValue(40);
    assertThat(m.median()).hasValue(75);
    assertThat(m.max()).hasValue(120);
    assertThat(m.cell()).isEqualTo("40 / 75 / 120");
    assertThat(measured(10, 40, 20, 30).median()).hasValue(25);
  }

  @Test
  void aRunWithoutTheEventCountsAsLongerThanAnySample() {
    Measurement m = measured(100, 300);
    m.addNone();
    assertThat(m.count()).isEqualTo(3);
    assertThat(m.median()).hasValue(300);
    assertThat(m.max()).isEmpty();
    assertThat(m.cell()).isEqualTo("100 / 300 / >5000 (1 of 3 none)");
    m.addNone();
    assertThat(m.median()).isEmpty();
    assertThat(m.medianText()).isEqualTo(">5000");
    assertThat(m.hasMedian()).isTrue();
  }

  @Test
  void onlyNoneOrOnlyFailuresAreSaidSo() {
    Measurement none = new Measurement(5000);
    none.addNone();
    none.addNone();
    assertThat(none.cell()).isEqualTo("none in 5000 ms (2 of 2)");
    Measurement failed = new Measurement(5000);
    failed.addFailed();
    assertThat(failed.cell()).isEqualTo("failed (1)");
    assertThat(failed.hasMedian()).isFalse();
    assertThat(failed.medianText()).isEqualTo("-");
  }

  private static Measurement measured(long... samples) {
    Measurement m = new Measurement(5000);
    for (long s : samples) {
      m.add(s);
    }
    return m;
  }
}
