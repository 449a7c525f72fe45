package io.habitat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void busyTimeIsUserNiceSystemIrqSoftirqAndSteal() {
    String stat = "cpu  100 2 30 5000 40 6 7 8 9 10\ncpu0 50 1 15 2500 20 3 3 4 0 0\n";
    assertThat(ProcStat.busyTicks(stat)).isEqualTo(100 + 2 + 30 + 6 + 7 + 8);
    assertThatThrownBy(() -> ProcStat.busyTicks("intr 1 2 3"))
        .hasMessageContaining("not the cpu line");
  }

  @Test
  void aProcessTimeIsReadAfterItsCommandEvenWithSpacesAndParentheses() {
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 350 120 40 20 20 0 30 0 1 0 0";
    assertThat(ProcStat.processTicks(stat, false)).isEqualTo(350 + 120);
    assertThat(ProcStat.processTicks(stat, true)).isEqualTo(350 + 120 + 40 + 20);
  }

  @Test
  void threadsComeFromTheStatusFile() {
    assertThat(ProcStat.threads("Name:\tjava\nState:\tS\nThreads:\t27\n")).hasValue(27);
    assertThat(ProcStat.threads("Name:\tjava\n")).isEmpty();
  }

  @Test
  void thisJvmCanReadItselfWhereThereIsProc() {
    if (ProcStat.machineBusy().isPresent()) {
      assertThat(ProcStat.selfWithChildren()).isPresent();
      assertThat(ProcStat.threads(ProcessHandle.current().pid()).orElseThrow()).isPositive();
    }
  }
}
