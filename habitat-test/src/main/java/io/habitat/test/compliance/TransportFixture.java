package io.habitat.test.compliance;

import io.habitat.core.Supervisor;
import io.habitat.core.spi.Transport;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the {@link TransportComplianceSuite} needs from one transport implementation: make
 * transports of one ring, wait for conditions on the implementation's own clock, and inject the
 * faults the suite checks (crash, partition, merge).
 *
 * <p>Every method is called from the test thread. Implementations that run on virtual time advance
 * it inside {@link #await}; implementations on real time poll.
 */
public interface TransportFixture extends AutoCloseable {

  /** A new, not yet started transport of this fixture's ring. */
  Transport newTransport(String name);

  /**
   * Returns once the condition holds; fails the test with the description when it does not hold
   * within the fixture's bound.
   */
  void await(String description, BooleanSupplier condition);

  /**
   * Lets the transports run for a while without expecting anything (used to check that nothing more
   * arrives). Virtual fixtures advance time; real ones wait.
   */
  void settle(Duration duration);

  /**
   * Stops the transport abruptly, as {@code kill -9} would: no goodbye to the others, who find out
   * through failure detection.
   */
  void crash(Transport transport);

  /**
   * Splits the started transports into the given sides: traffic between sides stops and each side
   * installs a view of its own members. Every started, not closed transport is on exactly one side.
   */
  void partition(List<List<Transport>> sides);

  /** Ends the partition and makes the sides merge; each member then installs a merge view. */
  void heal();

  /**
   * A supervisor builder for a transport of this fixture (not yet started): the transport, an event
   * loop and hook executor on the fixture's clock, and an in-memory store are set.
   */
  Supervisor.Builder supervisor(Transport transport);

  /**
   * Makes a started member silent without a view change: it stays in every view, but nothing it
   * sends arrives any more (as when its process is paused). Only the protocol's own heartbeats can
   * tell.
   */
  void silence(Transport transport);

  /** Closes every transport this fixture made, and anything else it holds. */
  @Override
  void close();
}
