package io.habitat.core.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. A task that throws is logged
 * and counted; the next one still runs.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor delegate;
  private final String name;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private @Nullable Runnable active;
  private long failures;

  SerialExecutor(Executor delegate, String name) {
    this.delegate = delegate;
    this.name = name;
  }

  @Override
  public synchronized void execute(Runnable task) {
    queue.add(
        () -> {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            synchronized (this) {
              failures++;
            }
            log.warn("{}: a hook or listener failed; the next one still runs", name, e);
          } finally {
            scheduleNext();
          }
        });
    if (active == null) {
      scheduleNext();
    }
  }

  /** How many tasks threw. */
  synchronized long failures() {
    return failures;
  }

  private synchronized void scheduleNext() {
    active = queue.poll();
    if (active != null) {
      delegate.execute(active);
    }
  }
}
