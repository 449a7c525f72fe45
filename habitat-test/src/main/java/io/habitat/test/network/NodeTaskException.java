package io.habitat.test.network;

import java.time.Duration;

/**
 * A task of a {@link VirtualNode} threw. {@link VirtualTime#step()}, {@link VirtualTime#runFor} and
 * {@link VirtualTime#runUntil} rethrow the task's exception wrapped in this one, naming the node
 * and the virtual instant, so that a simulation sees every failure. The scheduler stays usable: the
 * failed task is done, and the next call goes on with the next event.
 */
public final class NodeTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String nodeName;
  private final long virtualNanos;

  NodeTaskException(String nodeName, long virtualNanos, Throwable cause) {
    super(
        "task on node '"
            + nodeName
            + "' failed at virtual time "
            + Duration.ofNanos(virtualNanos)
            + ": "
            + cause,
        cause);
    this.nodeName = nodeName;
    this.virtualNanos = virtualNanos;
  }

  /** The name of the node whose task failed. */
  public String nodeName() {
    return nodeName;
  }

  /** The virtual {@link VirtualTime#nanoTime()} at which the task failed. */
  public long virtualNanos() {
    return virtualNanos;
  }
}
