package io.habitat.spring;

import io.habitat.core.Census;
import io.habitat.core.LeaderContext;
import io.habitat.core.Service;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs work only on the leader of the application's service group, with the term as the fencing
 * token and cancellation when leadership ends: the way to make a {@code @Scheduled} method
 * leader-only.
 *
 * <pre>{@code
 * @Scheduled(fixedDelay = 10_000)
 * void compact() {
 *   leadership.runIfLeader(lead -> repository.compactAsLeader(lead.term()));
 * }
 * }</pre>
 *
 * <p>Every member schedules the method; on followers {@link #runIfLeader} returns {@code false} at
 * once. On the leader the task runs on the calling thread; when the term's leadership ends while it
 * runs (a partition, a lost quorum, a hand-off, a pause that outlived the quorum lease), that
 * thread is interrupted and {@link LeaderContext#isLeader()} turns false. In the initializer
 * topology the leader runs tasks only once the group is initialised, so that they never see data
 * the init hook has not created yet.
 *
 * <p><b>What the term protects, and what it does not.</b> Interruption is a request: code that does
 * not check it, or is blocked in a call that ignores it, goes on. And a leader can be replaced
 * without knowing it yet (weak consistency: two leaders of different terms can overlap for up to
 * the quorum lease). Only a resource that checks the term refuses the stale leader: a database row
 * that stores the term and an update that requires {@code term >= stored}, a storage write with a
 * precondition, a lock service that takes fencing tokens. An email sent, a payment made or any
 * third-party call cannot be fenced: design such work to be idempotent or tolerate a duplicate.
 *
 * <p><b>Threads.</b> Thread-safe; any number of threads may run tasks at once. Nothing here blocks
 * except the task itself. The interrupt of a revoked task is cleared again before {@link
 * #runIfLeader} returns, so a pooled thread does not carry it into its next task.
 */
public final class HabitatLeadership {

  private final Service service;
  private final Set<Run> running = ConcurrentHashMap.newKeySet();

  /** The term whose revocation this object watches; one callback per term, never per run. */
  private final AtomicReference<@Nullable LeaderContext> watched = new AtomicReference<>();

  /** Leadership of the given service's group. */
  public HabitatLeadership(Service service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  /** The service whose leadership this guards. */
  public Service service() {
    return service;
  }

  /**
   * Whether this member leads its group right now, quorum lease included. It may change right after
   * it returns.
   */
  public boolean isLeader() {
    return service.isLeader();
  }

  /**
   * The leadership of the term this member leads right now, if it leads (quorum lease included).
   * Keep the context rather than calling this again: its {@link LeaderContext#isLeader()} turns
   * false for good when that term ends, even if this member leads a later term.
   */
  public Optional<LeaderContext> currentLeadership() {
    return service.leadership().filter(LeaderContext::isLeader);
  }

  /**
   * Runs the task on the calling thread if this member leads its group, and interrupts it if the
   * term's leadership ends while it runs.
   *
   * @param task the work, given the leadership of the current term
   * @return {@code true} if the task ran (it may have been interrupted), {@code false} if this
   *     member did not lead (or, in the initializer topology, the group was not initialised yet)
   *     and the task did not run
   * @throws E whatever the task threw
   */
  public <E extends Exception> boolean runIfLeader(LeaderTask<E> task) throws E {
    Objects.requireNonNull(task, "task");
    Optional<LeaderContext> current = currentLeadership();
    if (current.isEmpty() || !initialised()) {
      return false;
    }
    LeaderContext leadership = current.get();
    Run run = new Run(leadership, Thread.currentThread());
    running.add(run);
    try {
      watch(leadership);
      if (!leadership.isLeader()) {
        return false;
      }
      task.run(leadership);
      return true;
    } finally {
      running.remove(run);
      run.finish();
    }
  }

  /** Whether the group is initialised, or needs no initialisation. */
  private boolean initialised() {
    Census.Initialisation initialisation = service.census().initialisation();
    return !initialisation.required() || initialisation.initialised();
  }

  private void watch(LeaderContext leadership) {
    while (true) {
      LeaderContext previous = watched.get();
      if (previous == leadership) {
        return;
      }
      if (watched.compareAndSet(previous, leadership)) {
        // Runs at once, on this thread, if the term has already ended.
        leadership.revocation().whenComplete((term, error) -> revoke(leadership));
        return;
      }
    }
  }

  private void revoke(LeaderContext leadership) {
    for (Run run : running) {
      if (run.leadership == leadership) {
        run.revoke();
      }
    }
  }

  /** One task running on one thread. */
  private static final class Run {
    final LeaderContext leadership;
    private final Thread thread;
    private boolean done;
    private boolean interrupted;

    Run(LeaderContext leadership, Thread thread) {
      this.leadership = leadership;
      this.thread = thread;
    }

    synchronized void revoke() {
      if (!done && !interrupted) {
        interrupted = true;
        thread.interrupt();
      }
    }

    /** Called on the task's own thread: clears the interrupt this run caused. */
    synchronized void finish() {
      done = true;
      if (interrupted) {
        boolean unused = Thread.interrupted();
      }
    }
  }
}
