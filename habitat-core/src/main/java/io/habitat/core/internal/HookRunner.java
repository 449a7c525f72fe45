package io.habitat.core.internal;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one service's hooks: one at a time, in submission order, on a shared executor, never on the
 * protocol thread. A hook that throws is logged and reported, and the next one still runs. The
 * runner knows which hook runs, since when, and on which thread, so the protocol side can report a
 * hook as hung and interrupt a leader hook whose term was revoked. Thread-safe.
 */
final class HookRunner {
  private static final Logger log = LoggerFactory.getLogger(HookRunner.class);

  /** A hook body; it may throw anything. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  /** Where failures go. */
  interface Failures {
    void failed(String hook, Throwable error);
  }

  /** One submitted hook, with the MDC of the protocol step that produced it. */
  private record Task(
      String name, long term, Body body, @Nullable Runnable after, Map<String, String> mdc) {}

  /**
   * The hook that is due now: handed to the executor at {@code startedAt}, and running on {@code
   * thread} once the executor started it (null before). A hook the executor never starts counts as
   * running: to the service, a starved hook and a hung one look the same.
   */
  record Running(String name, long term, long startedAt, @Nullable Thread thread) {}

  private final Executor delegate;
  private final String owner;
  private final LongSupplier clock;
  private final Failures failures;
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private boolean scheduled;
  private volatile @Nullable Running running;
  private volatile Map<String, String> mdc = Map.of();
  private long failed;

  HookRunner(Executor delegate, String owner, LongSupplier clock, Failures failures) {
    this.delegate = delegate;
    this.owner = owner;
    this.clock = clock;
    this.failures = failures;
  }

  /**
   * The MDC of hooks submitted outside a protocol step (group and member); hooks submitted during a
   * step carry that step's MDC (group, member, term).
   */
  void mdc(Map<String, String> context) {
    this.mdc = Map.copyOf(context);
  }

  /**
   * Queues a hook.
   *
   * @param name the hook's name, for logs and metrics
   * @param term the term it belongs to (0 for none): {@link #interrupt} matches it
   * @param body the hook
   * @param after runs after the hook, whether it returned or threw (on the hook thread)
   */
  void submit(String name, long term, Body body, @Nullable Runnable after) {
    synchronized (this) {
      Map<String, String> context = MDC.getCopyOfContextMap();
      queue.add(new Task(name, term, body, after, context == null ? mdc : context));
      if (scheduled) {
        return;
      }
      scheduled = true;
      due();
    }
    delegate.execute(this::drainOne);
  }

  /** Marks the head of the queue as due; call holding the lock. */
  private void due() {
    Task next = queue.peek();
    running = next == null ? null : new Running(next.name(), next.term(), clock.getAsLong(), null);
  }

  void submit(String name, Body body) {
    submit(name, 0, body, null);
  }

  private void drainOne() {
    Task t;
    synchronized (this) {
      t = queue.poll();
      if (t == null) {
        scheduled = false;
        running = null;
        return;
      }
      Running r = running;
      long since = r == null ? clock.getAsLong() : r.startedAt();
      running = new Running(t.name(), t.term(), since, Thread.currentThread());
    }
    Map<String, String> context = t.mdc();
    context.forEach(MDC::put);
    try {
      t.body().run();
    } catch (Exception | Error e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        failed++;
      }
      log.warn("{}: the {} hook failed; the next hook still runs", owner, t.name(), e);
      failures.failed(t.name(), e);
    } finally {
      synchronized (this) {
        running = null;
      }
      // An interrupt meant for this hook must not leak into the next one.
      boolean wasInterrupted = Thread.interrupted();
      try {
        Runnable after = t.after();
        if (after != null) {
          after.run();
        }
      } finally {
        context.keySet().forEach(MDC::remove);
        if (wasInterrupted) {
          log.debug("{}: the {} hook was interrupted", owner, t.name());
        }
      }
      boolean more;
      synchronized (this) {
        more = !queue.isEmpty();
        if (!more) {
          scheduled = false;
        }
        due();
      }
      if (more) {
        delegate.execute(this::drainOne);
      }
    }
  }

  /** The hook running now, if any. */
  @Nullable Running running() {
    return running;
  }

  /** Interrupts the running hook if it is one of the names and belongs to the term. */
  synchronized void interrupt(long term, String... names) {
    Running r = running;
    Thread thread = r == null ? null : r.thread();
    if (r == null || thread == null || r.term() != term) {
      return;
    }
    for (String n : names) {
      if (n.equals(r.name())) {
        thread.interrupt();
        return;
      }
    }
  }

  /** How many hooks threw. */
  synchronized long failures() {
    return failed;
  }

  /** How many hooks wait. */
  synchronized int queued() {
    return queue.size();
  }
}
