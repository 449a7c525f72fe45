package io.habitat.test.network;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.spi.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

  private final VirtualTime time = new VirtualTime();
  private final List<String> log = new ArrayList<>();

  private Runnable record(String what) {
    return () -> log.add(what + "@" + time.nanoTime() / 1_000_000);
  }

  @Test
  void eventsRunByInstantThenBySchedulingOrder() {
    VirtualNode a = time.newNode("a");
    VirtualNode b = time.newNode("b");
    a.schedule(ofMillis(20), record("a20"));
    b.schedule(ofMillis(10), record("b10"));
    a.execute(record("a0"));
    b.execute(record("b0"));
    a.schedule(ofMillis(10), record("a10"));
    time.runFor(ofMillis(100));
    assertThat(log).containsExactly("a0@0", "b0@0", "b10@10", "a10@10", "a20@20");
    assertThat(time.nanoTime()).isEqualTo(ofMillis(100).toNanos());
  }

  @Test
  void executeFromATaskRunsAfterTheTasksAlreadyDue() {
    VirtualNode a = time.newNode("a");
    a.execute(
        () -> {
          log.add("first");
          a.execute(() -> log.add("third"));
        });
    a.execute(() -> log.add("second"));
    time.runFor(Duration.ZERO);
    assertThat(log).containsExactly("first", "second", "third");
  }

  @Test
  void wallClockIsTheEpochPlusVirtualTime() {
    VirtualTime t = new VirtualTime(1_000);
    t.runFor(ofMillis(1500));
    assertThat(t.currentTimeMillis()).isEqualTo(2_500);
    assertThat(t.newNode("n").currentTimeMillis()).isEqualTo(2_500);
  }

  @Test
  void runUntilStopsWhenTheConditionHoldsOrAtTheLimit() {
    VirtualNode a = time.newNode("a");
    a.schedule(ofMillis(30), record("x"));
    assertThat(time.runUntil(() -> !log.isEmpty(), ofMillis(100))).isTrue();
    assertThat(time.nanoTime()).isEqualTo(ofMillis(30).toNanos());
    assertThat(time.runUntil(() -> log.size() == 2, ofMillis(100))).isFalse();
    assertThat(time.nanoTime()).isEqualTo(ofMillis(130).toNanos());
  }

  @Test
  void stepRunsOneEventAndReportsWhenNoneIsLeft() {
    VirtualNode a = time.newNode("a");
    a.schedule(ofMillis(5), record("x"));
    a.schedule(ofMillis(7), record("y"));
    assertThat(time.pendingEvents()).isEqualTo(2);
    assertThat(time.step()).isTrue();
    assertThat(log).containsExactly("x@5");
    assertThat(time.step()).isTrue();
    assertThat(time.step()).isFalse();
    assertThat(time.pendingEvents()).isZero();
  }

  @Test
  void aCancelledTimerDoesNotRun() {
    VirtualNode a = time.newNode("a");
    EventLoop.Timer timer = a.schedule(ofMillis(5), record("x"));
    timer.cancel();
    timer.cancel();
    assertThat(time.pendingEvents()).isZero();
    time.runFor(ofMillis(10));
    assertThat(log).isEmpty();
  }

  @Test
  void inEventLoopIsTrueOnlyInsideTheNodesOwnTasks() {
    VirtualNode a = time.newNode("a");
    VirtualNode b = time.newNode("b");
    List<Boolean> seen = new ArrayList<>();
    a.execute(() -> seen.addAll(List.of(a.inEventLoop(), b.inEventLoop())));
    time.runFor(Duration.ZERO);
    assertThat(seen).containsExactly(true, false);
    assertThat(a.inEventLoop()).isFalse();
  }

  @Test
  void aFrozenNodeRunsNothingUntilThawThenCatchesUpInOrder() {
    VirtualNode a = time.newNode("a");
    VirtualNode b = time.newNode("b");
    a.schedule(ofMillis(10), record("a10"));
    a.schedule(ofMillis(20), record("a20"));
    a.schedule(ofMillis(80), record("a80"));
    b.schedule(ofMillis(15), record("b15"));
    a.freeze();
    time.runFor(ofMillis(50));
    a.execute(record("a-exec"));
    time.runFor(ofMillis(10));
    assertThat(log).containsExactly("b15@15");
    assertThat(time.pendingEvents()).isEqualTo(4);

    a.thaw();
    time.runFor(ofMillis(40));
    assertThat(log).containsExactly("b15@15", "a10@60", "a20@60", "a-exec@60", "a80@80");
  }

  @Test
  void aCrashedNodeDropsItsWorkForGood() {
    VirtualNode a = time.newNode("a");
    VirtualNode b = time.newNode("b");
    a.schedule(ofMillis(10), record("a10"));
    a.execute(record("a0"));
    b.schedule(ofMillis(10), record("b10"));
    a.freeze();
    a.crash();
    a.execute(record("late"));
    a.schedule(ofMillis(1), record("later")).cancel();
    assertThat(a.isCrashed()).isTrue();
    assertThat(time.pendingEvents()).isEqualTo(1);
    a.thaw();
    time.runFor(ofMillis(20));
    assertThat(log).containsExactly("b10@10");
  }

  @Test
  void aTaskThatThrowsIsReportedWithItsNodeAndTheRunCanGoOn() {
    VirtualNode a = time.newNode("alpha");
    a.schedule(
        ofMillis(3),
        () -> {
          throw new IllegalStateException("boom");
        });
    a.schedule(ofMillis(5), record("after"));
    assertThatThrownBy(() -> time.runFor(ofMillis(10)))
        .isInstanceOf(NodeTaskException.class)
        .hasMessageContaining("'alpha'")
        .hasRootCauseMessage("boom")
        .satisfies(e -> assertThat(((NodeTaskException) e).nodeName()).isEqualTo("alpha"));
    assertThat(time.nanoTime()).isEqualTo(ofMillis(3).toNanos());
    time.runFor(ofMillis(7));
    assertThat(log).containsExactly("after@5");
  }

  @Test
  void badArgumentsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> time.runFor(ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> time.newNode(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
  }

  @Test
  void aVeryLongDelaySaturatesInsteadOfOverflowing() {
    VirtualNode a = time.newNode("a");
    a.schedule(Duration.ofSeconds(Long.MAX_VALUE), record("never"));
    time.runFor(Duration.ofDays(365));
    assertThat(log).isEmpty();
    assertThat(time.pendingEvents()).isEqualTo(1);
  }
}
