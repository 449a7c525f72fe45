package io.habitat.spring;

import io.habitat.core.Supervisor;
import io.habitat.test.network.InMemoryNetwork;
import io.habitat.test.network.InMemoryTransport;
import io.habitat.test.network.VirtualTime;
import io.habitat.test.store.InMemoryDataDirectory;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * Supervisors on habitat-test's in-memory ring and virtual time, to hand to an application context
 * as its own {@link Supervisor} bean. Time moves only in {@link #await} and {@link #runFor}, on the
 * test's thread, which is also the thread that refreshes the context.
 */
public final class VirtualRing {

  private final VirtualTime time = new VirtualTime();
  private final InMemoryNetwork network = new InMemoryNetwork(time, 7);

  /** A supervisor (not started) on a new node of this ring. */
  public Supervisor supervisor(String name) {
    InMemoryTransport transport = network.newTransport(time.newNode(name));
    return Supervisor.builder()
        .name(name)
        .transport(transport)
        .eventLoop(transport.node())
        .hookExecutor(time.newNode(name + "-hooks"))
        .store(new InMemoryDataDirectory(name).open())
        .build();
  }

  /** A transport on a new node of this ring, for a supervisor built elsewhere. */
  public InMemoryTransport transport(String name) {
    return network.newTransport(time.newNode(name));
  }

  /** Runs virtual time until the condition holds; fails after 60 s of virtual time. */
  public void await(String description, BooleanSupplier condition) {
    if (!time.runUntil(condition, Duration.ofSeconds(60))) {
      throw new AssertionError("not within 60 s of virtual time: " + description);
    }
  }

  /**
   * Moves virtual time in small steps until a condition that also depends on real threads holds
   * (such as Spring events, published on a thread of their own); fails after 10 s of real time.
   */
  public void awaitEvents(String description, BooleanSupplier condition) {
    Awaitility.await(description)
        .atMost(Duration.ofSeconds(10))
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> {
              time.runFor(Duration.ofMillis(20));
              return condition.getAsBoolean();
            });
  }

  /** Lets virtual time run. */
  public void runFor(Duration duration) {
    time.runFor(duration);
  }
}
