package io.habitat.test.network;

import io.habitat.core.spi.EventLoop;

/**
 * One entry of the {@link VirtualTime} queue: something that runs on a node at a virtual instant.
 * Ordered by (time, sequence), so events of one instant run in the order they were scheduled.
 */
abstract class VirtualEvent implements EventLoop.Timer {

  static final byte PENDING = 0;
  static final byte CANCELLED = 1;
  static final byte DONE = 2;

  final VirtualNode node;
  long time;
  long sequence;
  byte state = PENDING;

  VirtualEvent(VirtualNode node) {
    this.node = node;
  }

  /** The work of the event; runs on the scheduler's thread with {@link #node} current. */
  abstract void run();

  @Override
  public final void cancel() {
    node.cancel(this);
  }

  static int compare(VirtualEvent a, VirtualEvent b) {
    int byTime = Long.compare(a.time, b.time);
    return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
  }

  /** An event that runs a user's task. */
  static final class Task extends VirtualEvent {
    private final Runnable task;

    Task(VirtualNode node, Runnable task) {
      super(node);
      this.task = task;
    }

    @Override
    void run() {
      task.run();
    }
  }
}
