package io.habitat.test.network;

import io.habitat.core.spi.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One simulated JVM's event loop on {@link VirtualTime}: an {@link EventLoop} whose tasks, timers
 * and message deliveries are events of the shared scheduler.
 *
 * <ul>
 *   <li>{@link #execute} runs the task at the current virtual instant, after every event already
 *       scheduled for that instant; {@link #schedule} runs it once the delay has passed.
 *   <li>{@link #inEventLoop()} is true only while one of this node's events runs.
 *   <li>{@link #freeze()} models a GC pause or {@code kill -STOP}: while frozen, none of the node's
 *       tasks, timers or deliveries run. {@link #thaw()} runs what came due in the meantime at
 *       once, in the order it came due, then the node goes on as before.
 *   <li>{@link #crash()} and {@link #close()} drop every pending event of the node for good; later
 *       submissions are dropped too. An {@link InMemoryNetwork} treats the transports on a closed
 *       node as crashed.
 * </ul>
 *
 * <p>Confined to the thread that drives the {@link VirtualTime}, like everything in this package
 * (this is narrower than the {@link EventLoop} contract, which allows any thread).
 */
public final class VirtualNode implements EventLoop {

  /** Told when the node freezes, thaws or closes; used by the network. */
  interface Listener {
    void onFreeze(VirtualNode node);

    void onThaw(VirtualNode node);

    void onClose(VirtualNode node);
  }

  private final VirtualTime time;
  private final String name;
  private final List<VirtualEvent> held = new ArrayList<>();
  private final List<Listener> listeners = new ArrayList<>(1);
  private boolean frozen;
  private boolean closed;
  private boolean crashed;
  int outstanding;

  VirtualNode(VirtualTime time, String name) {
    this.time = time;
    this.name = name;
  }

  /** The name given at creation. */
  public String name() {
    return name;
  }

  /** The scheduler this node runs on. */
  public VirtualTime time() {
    return time;
  }

  @Override
  public long nanoTime() {
    return time.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return time.currentTimeMillis();
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (!closed) {
      time.schedule(new VirtualEvent.Task(this, task), 0);
    }
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    VirtualEvent.Task event = new VirtualEvent.Task(this, task);
    if (closed) {
      event.state = VirtualEvent.CANCELLED;
      return event;
    }
    time.schedule(event, VirtualTime.saturatedAdd(0, delay));
    return event;
  }

  @Override
  public boolean isVirtual() {
    return true;
  }

  @Override
  public boolean inEventLoop() {
    return time.running() == this;
  }

  /**
   * Pauses the node: its events stay pending until {@link #thaw()}. Idempotent; ignored once
   * closed.
   */
  public void freeze() {
    if (frozen || closed) {
      return;
    }
    frozen = true;
    for (Listener l : List.copyOf(listeners)) {
      l.onFreeze(this);
    }
  }

  /**
   * Resumes a frozen node: the events that came due while it was frozen run first, in their order,
   * at the current instant. Idempotent; ignored when not frozen.
   */
  public void thaw() {
    if (!frozen || closed) {
      return;
    }
    frozen = false;
    for (VirtualEvent e : held) {
      time.requeue(e);
    }
    held.clear();
    for (Listener l : List.copyOf(listeners)) {
      l.onThaw(this);
    }
  }

  /** Whether the node is frozen. */
  public boolean isFrozen() {
    return frozen;
  }

  /**
   * Kills the node, as {@code kill -9} would: every pending event is dropped and nothing of this
   * node runs again. Idempotent.
   */
  public void crash() {
    crashed = true;
    close();
  }

  /** Whether {@link #crash()} was called. */
  public boolean isCrashed() {
    return crashed;
  }

  /** Whether the node is closed (or crashed). */
  public boolean isClosed() {
    return closed;
  }

  /** Drops every pending event; later submissions are dropped too. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    frozen = false;
    held.clear();
    time.forget(outstanding);
    outstanding = 0;
    for (Listener l : List.copyOf(listeners)) {
      l.onClose(this);
    }
  }

  @Override
  public String toString() {
    return name + (closed ? (crashed ? "[crashed]" : "[closed]") : frozen ? "[frozen]" : "");
  }

  // ---- for the scheduler and networks of this package ----

  void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Schedules an internal event of this node; dropped when the node is closed. */
  void scheduleEvent(VirtualEvent event, long delayNanos) {
    if (!closed) {
      time.schedule(event, delayNanos);
    }
  }

  void scheduleEventAt(VirtualEvent event, long at) {
    if (!closed) {
      time.scheduleAt(event, at);
    }
  }

  void hold(VirtualEvent event) {
    held.add(event);
  }

  void cancel(VirtualEvent event) {
    if (event.state == VirtualEvent.PENDING && !closed) {
      event.state = VirtualEvent.CANCELLED;
      outstanding--;
      time.forget(1);
    }
  }
}
