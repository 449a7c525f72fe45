package io.habitat.core.spi;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Factories for {@link EventLoop}s that run on real time. */
public final class EventLoops {

  private EventLoops() {}

  /**
   * A loop on one new daemon thread named {@code name}, with {@link System#nanoTime()} and {@link
   * System#currentTimeMillis()} as its clocks. A task that throws is logged and the loop goes on.
   */
  public static EventLoop realTime(String name) {
    return new RealTimeLoop(name);
  }

  private static final class RealTimeLoop implements EventLoop {
    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile @Nullable Thread thread;

    RealTimeLoop(String name) {
      executor =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                thread = t;
                return t;
              });
      executor.setRemoveOnCancelPolicy(true);
      executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      executor.prestartCoreThread();
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
      return System.currentTimeMillis();
    }

    @Override
    public void execute(Runnable task) {
      try {
        executor.execute(() -> runSafely(task));
      } catch (RejectedExecutionException closed) {
        log.trace("event loop closed; task dropped");
      }
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
      try {
        ScheduledFuture<?> f =
            executor.schedule(() -> runSafely(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      } catch (RejectedExecutionException closed) {
        return () -> {};
      }
    }

    @Override
    public boolean inEventLoop() {
      return Thread.currentThread() == thread;
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }

    private static void runSafely(Runnable task) {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.error("event loop task failed; the loop goes on", e);
      }
    }
  }
}
