/**
 * The deterministic simulation: groups of 1 to 7 members on the in-memory ring and virtual time,
 * with random crashes, restarts, freezes, partitions, heals, loss, delay, duplication and reorder,
 * and the election's invariants checked after every step. The same seed always gives the same
 * trace.
 */
@NullMarked
package io.habitat.test.simulation;

import org.jspecify.annotations.NullMarked;
