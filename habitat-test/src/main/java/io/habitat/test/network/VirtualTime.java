package io.habitat.test.network;

import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A single-threaded discrete-event scheduler: virtual time that moves only when the caller says so.
 *
 * <p>Events (tasks, timers, deliveries of an {@link InMemoryNetwork}) belong to a {@link
 * VirtualNode} made by {@link #newNode}. They run one at a time, ordered by (virtual instant,
 * scheduling order): two events of one instant run in the order they were scheduled. Running an
 * event moves {@link #nanoTime()} to its instant; time never goes back.
 *
 * <p><b>Threads.</b> Not thread-safe: one thread creates the scheduler, its nodes and networks, and
 * calls every method, including those of the nodes' event loops. Nothing here starts a thread,
 * sleeps or logs.
 *
 * <p><b>Determinism.</b> The order of events depends only on the calls made, never on hashing,
 * wall-clock time or threads; the same calls give the same run.
 *
 * <p><b>Failures.</b> A task that throws is not swallowed: {@link #step}, {@link #runFor} and
 * {@link #runUntil} rethrow it as a {@link NodeTaskException} naming the node.
 */
public final class VirtualTime {

  /** The wall-clock instant virtual time starts at: 2025-01-01T00:00:00Z, in milliseconds. */
  public static final long DEFAULT_EPOCH_MILLIS = 1_735_689_600_000L;

  private final PriorityQueue<VirtualEvent> queue = new PriorityQueue<>(VirtualEvent::compare);
  private final long epochMillis;
  private long now;
  private long nextSequence;
  private int live;
  private @Nullable VirtualNode running;

  /** A scheduler at virtual time zero, whose wall clock starts at {@link #DEFAULT_EPOCH_MILLIS}. */
  public VirtualTime() {
    this(DEFAULT_EPOCH_MILLIS);
  }

  /** A scheduler at virtual time zero, whose wall clock starts at the given epoch milliseconds. */
  public VirtualTime(long epochMillis) {
    this.epochMillis = epochMillis;
  }

  /** Virtual monotonic time in nanoseconds; starts at zero. */
  public long nanoTime() {
    return now;
  }

  /** Virtual wall-clock time: the epoch given at construction plus {@link #nanoTime()}. */
  public long currentTimeMillis() {
    return epochMillis + now / 1_000_000L;
  }

  /**
   * A new node: an event loop on this virtual time. Names are for messages and addresses; they need
   * not be unique.
   */
  public VirtualNode newNode(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("node name must not be empty");
    }
    return new VirtualNode(this, name);
  }

  /**
   * The number of events scheduled and neither run, cancelled nor dropped, including those held by
   * frozen nodes.
   */
  public int pendingEvents() {
    return live;
  }

  /**
   * Runs the next event, moving time to its instant. Events held by frozen nodes are set aside
   * until the node thaws and do not count as run.
   *
   * @return whether an event ran; false when none is left to run
   * @throws NodeTaskException if the event's task threw
   */
  public boolean step() {
    return stepUntil(Long.MAX_VALUE);
  }

  /**
   * Runs every event due within the duration, then sets time to now plus the duration.
   *
   * @throws NodeTaskException if a task threw; time then stays at that task's instant
   */
  public void runFor(Duration duration) {
    long deadline = deadline(duration);
    while (stepUntil(deadline)) {
      // each step runs one event
    }
    now = Math.max(now, deadline);
  }

  /**
   * Runs events until the condition holds, checking it before the first event and after each one,
   * for at most the given duration of virtual time.
   *
   * @return true as soon as the condition holds (time stays at the instant it became true); false
   *     if it did not hold within the limit, with time then moved to the limit
   * @throws NodeTaskException if a task threw
   */
  public boolean runUntil(BooleanSupplier condition, Duration limit) {
    long deadline = deadline(limit);
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (!stepUntil(deadline)) {
        now = Math.max(now, deadline);
        return condition.getAsBoolean();
      }
    }
  }

  @Override
  public String toString() {
    return "VirtualTime[" + Duration.ofNanos(now) + ", " + live + " pending]";
  }

  private long deadline(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, was " + duration);
    }
    return saturatedAdd(now, duration);
  }

  /** Runs the next live event due at or before the deadline; false when there is none. */
  private boolean stepUntil(long deadline) {
    while (true) {
      VirtualEvent event = queue.peek();
      if (event == null || event.time > deadline) {
        return false;
      }
      queue.poll();
      VirtualNode node = event.node;
      if (event.state != VirtualEvent.PENDING || node.isClosed()) {
        continue;
      }
      now = Math.max(now, event.time);
      if (node.isFrozen()) {
        node.hold(event);
        continue;
      }
      event.state = VirtualEvent.DONE;
      live--;
      node.outstanding--;
      running = node;
      try {
        event.run();
      } catch (RuntimeException | Error e) {
        throw new NodeTaskException(node.name(), now, e);
      } finally {
        running = null;
      }
      return true;
    }
  }

  // ---- for nodes and networks of this package ----

  @Nullable VirtualNode running() {
    return running;
  }

  /** Queues a new event at now plus the delay (saturating); zero or negative means now. */
  void schedule(VirtualEvent event, long delayNanos) {
    event.time = delayNanos <= 0 ? now : saturatedAdd(now, delayNanos);
    enqueue(event);
  }

  /** Queues a new event at an absolute instant (not before now). */
  void scheduleAt(VirtualEvent event, long time) {
    event.time = Math.max(now, time);
    enqueue(event);
  }

  private void enqueue(VirtualEvent event) {
    event.sequence = nextSequence++;
    queue.add(event);
    live++;
    event.node.outstanding++;
  }

  /** Puts back an event a frozen node held, with its original place in the order. */
  void requeue(VirtualEvent event) {
    queue.add(event);
  }

  void forget(int events) {
    live -= events;
  }

  static long saturatedAdd(long base, Duration duration) {
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
    return saturatedAdd(base, nanos);
  }

  static long saturatedAdd(long base, long nanos) {
    long sum = base + nanos;
    return ((base ^ sum) & (nanos ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
