package io.habitat.core.spi;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The protocol thread of one supervisor, and its clock. Tasks submitted with {@link #execute} run
 * one at a time, in submission order; timers run on the same thread. The protocol state machine
 * therefore needs no locks.
 *
 * <p>Two kinds exist: {@link EventLoops#realTime(String)} (a single platform thread and the system
 * clocks) and the virtual-time loop of {@code habitat-test}, where time moves only when the
 * simulation says so and every run with the same seed is identical.
 *
 * <p>Methods may be called from any thread. Tasks submitted after {@link #close} are dropped.
 */
public interface EventLoop extends Executor, AutoCloseable {

  /** Monotonic time in nanoseconds, for timeouts and bounds. Only differences are meaningful. */
  long nanoTime();

  /** Wall-clock time in milliseconds since the epoch, for logs and reports only. */
  long currentTimeMillis();

  /** Runs the task on the loop, after every task submitted before it. */
  @Override
  void execute(Runnable task);

  /** Runs the task on the loop once the delay has passed on this loop's clock. */
  Timer schedule(Duration delay, Runnable task);

  /** Whether the calling thread is this loop's thread. */
  boolean inEventLoop();

  /**
   * Whether time on this loop is virtual: then nothing may block waiting for the loop, since the
   * caller's thread is what moves time forward.
   */
  default boolean isVirtual() {
    return false;
  }

  /** Stops the loop; pending tasks and timers are dropped. Idempotent. */
  @Override
  void close();

  /** A scheduled task. */
  interface Timer {
    /** Cancels the task if it has not run yet. Idempotent. */
    void cancel();
  }
}
