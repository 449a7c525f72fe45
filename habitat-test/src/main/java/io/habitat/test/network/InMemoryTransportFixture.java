package io.habitat.test.network;

import io.habitat.core.Supervisor;
import io.habitat.core.spi.Transport;
import io.habitat.test.compliance.TransportFixture;
import io.habitat.test.store.InMemoryDataDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The {@link TransportFixture} of the in-memory ring, for the compliance suite and for users' own
 * tests: every transport gets a node of its own on one {@link VirtualTime}, {@link #await} advances
 * virtual time until the condition holds, and {@link #crash} crashes the transport's node.
 *
 * <p>Confined to the test thread. Deterministic for a given seed and sequence of calls.
 */
public final class InMemoryTransportFixture implements TransportFixture {

  /** How much virtual time {@link #await} allows by default. */
  public static final Duration DEFAULT_AWAIT_LIMIT = Duration.ofSeconds(60);

  private final InMemoryNetwork network;
  private final Duration awaitLimit;
  private final List<InMemoryTransport> made = new ArrayList<>();

  /** A fixture on a new network and virtual time, with the given seed and no faults. */
  public InMemoryTransportFixture(long seed) {
    this(new InMemoryNetwork(new VirtualTime(), seed), DEFAULT_AWAIT_LIMIT);
  }

  /** A fixture on the given network; {@link #await} allows {@code awaitLimit} of virtual time. */
  public InMemoryTransportFixture(InMemoryNetwork network, Duration awaitLimit) {
    this.network = Objects.requireNonNull(network, "network");
    Objects.requireNonNull(awaitLimit, "awaitLimit");
    if (awaitLimit.isNegative() || awaitLimit.isZero()) {
      throw new IllegalArgumentException("awaitLimit must be positive, was " + awaitLimit);
    }
    this.awaitLimit = awaitLimit;
  }

  /** The network the transports are on. */
  public InMemoryNetwork network() {
    return network;
  }

  /** The virtual time of the network. */
  public VirtualTime time() {
    return network.time();
  }

  /** A new transport on a new node named {@code name}. */
  @Override
  public InMemoryTransport newTransport(String name) {
    InMemoryTransport t = network.newTransport(network.time().newNode(name));
    made.add(t);
    return t;
  }

  /**
   * Runs virtual time until the condition holds.
   *
   * @throws AssertionError with the description if it does not hold within the await limit
   */
  @Override
  public void await(String description, BooleanSupplier condition) {
    if (!network.time().runUntil(condition, awaitLimit)) {
      throw new AssertionError(
          "condition did not hold within " + awaitLimit + " of virtual time: " + description);
    }
  }

  /** Runs virtual time for the duration. */
  @Override
  public void settle(Duration duration) {
    network.time().runFor(duration);
  }

  /** Crashes the transport's node, as {@code kill -9} would. */
  @Override
  public void crash(Transport transport) {
    if (transport instanceof InMemoryTransport t && t.network() == network) {
      t.node().crash();
    } else {
      throw new IllegalArgumentException("transport " + transport + " is not of this fixture");
    }
  }

  @Override
  public void partition(List<List<Transport>> sides) {
    network.partition(sides);
  }

  @Override
  public void heal() {
    network.heal();
  }

  /** Closes every transport made and crashes their nodes, dropping whatever was pending. */
  @Override
  public Supervisor.Builder supervisor(Transport transport) {
    InMemoryTransport t = (InMemoryTransport) transport;
    String name = t.node().name();
    return Supervisor.builder()
        .name(name)
        .transport(t)
        .eventLoop(t.node())
        .hookExecutor(network.time().newNode(name + "-hooks"))
        .store(new InMemoryDataDirectory(name).open());
  }

  /** Freezes the member's node: it sends nothing until the ring's freeze detection drops it. */
  @Override
  public void silence(Transport transport) {
    ((InMemoryTransport) transport).node().freeze();
  }

  @Override
  public void close() {
    for (InMemoryTransport t : made) {
      t.close();
      t.node().close();
    }
  }
}
