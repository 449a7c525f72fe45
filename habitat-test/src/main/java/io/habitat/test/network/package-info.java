/**
 * A deterministic in-memory ring on virtual time, for tests and simulations of code built on
 * habitat.
 *
 * <p>{@link io.habitat.test.network.VirtualTime} is a single-threaded discrete-event scheduler; its
 * {@link io.habitat.test.network.VirtualNode}s are {@link io.habitat.core.spi.EventLoop}s that can
 * be frozen (a GC pause, {@code kill -STOP}) and crashed. {@link
 * io.habitat.test.network.InMemoryNetwork} is the ring: it hands out {@link
 * io.habitat.test.network.InMemoryTransport}s, acts as their membership service, partitions and
 * heals, and injects seeded {@link io.habitat.test.network.Faults}. Given the same seed and the
 * same calls, every run delivers the same messages and views at the same virtual instants.
 *
 * <p>Everything in this package is confined to the one thread that drives the {@code VirtualTime};
 * nothing here starts a thread or blocks.
 */
@NullMarked
package io.habitat.test.network;

import org.jspecify.annotations.NullMarked;
