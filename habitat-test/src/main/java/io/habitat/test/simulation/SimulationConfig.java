package io.habitat.test.simulation;

import io.habitat.core.Timing;
import io.habitat.core.Topology;
import io.habitat.core.internal.GroupEngine.Mutation;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one simulation run looks like. Immutable; change it with the {@code with...} methods.
 *
 * @param members group size, or 0 for a random size from 1 to 7 per seed
 * @param topology the group's topology
 * @param faultPhase how long faults are injected (virtual time)
 * @param livenessBound how long after the faults stop the group has to agree on one leader
 * @param faultsPerSecond the mean rate of fault actions
 * @param mutations deliberate engine defects (to prove the invariants can fail)
 * @param timing the protocol's timing
 * @param oldMembers how many members (the first ones) speak only protocol version 1, as members of
 *     the previous release do during a rolling upgrade; the others then speak it too
 */
public record SimulationConfig(
    int members,
    Topology topology,
    Duration faultPhase,
    Duration livenessBound,
    double faultsPerSecond,
    Set<Mutation> mutations,
    Timing timing,
    int oldMembers) {

  /** Validates every field. */
  public SimulationConfig {
    if (members < 0 || members > 1000) {
      throw new IllegalArgumentException("members must be 0 (random 1..7) to 1000, was " + members);
    }
    Objects.requireNonNull(topology, "topology");
    if (faultPhase.isNegative()) {
      throw new IllegalArgumentException("faultPhase must not be negative, was " + faultPhase);
    }
    if (livenessBound.isNegative() || livenessBound.isZero()) {
      throw new IllegalArgumentException("livenessBound must be positive, was " + livenessBound);
    }
    if (faultsPerSecond < 0 || faultsPerSecond > 100) {
      throw new IllegalArgumentException(
          "faultsPerSecond must be between 0 and 100, was " + faultsPerSecond);
    }
    mutations = mutations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(mutations));
    Objects.requireNonNull(timing, "timing");
    if (oldMembers < 0) {
      throw new IllegalArgumentException("oldMembers must be 0 or more, was " + oldMembers);
    }
  }

  /** Random sizes, leader topology, 8 s of faults at 1.5 per second, 12 s to agree. */
  public static SimulationConfig defaults() {
    return new SimulationConfig(
        0,
        Topology.LEADER,
        Duration.ofSeconds(8),
        Duration.ofSeconds(12),
        1.5,
        Set.of(),
        Timing.defaults(),
        0);
  }

  /** With a fixed group size (0 for random). */
  public SimulationConfig withMembers(int n) {
    return new SimulationConfig(
        n, topology, faultPhase, livenessBound, faultsPerSecond, mutations, timing, oldMembers);
  }

  /** With another topology. */
  public SimulationConfig withTopology(Topology t) {
    return new SimulationConfig(
        members, t, faultPhase, livenessBound, faultsPerSecond, mutations, timing, oldMembers);
  }

  /** With another fault phase. */
  public SimulationConfig withFaultPhase(Duration d) {
    return new SimulationConfig(
        members, topology, d, livenessBound, faultsPerSecond, mutations, timing, oldMembers);
  }

  /** With another fault rate. */
  public SimulationConfig withFaultsPerSecond(double rate) {
    return new SimulationConfig(
        members, topology, faultPhase, livenessBound, rate, mutations, timing, oldMembers);
  }

  /** With the first {@code n} members speaking only protocol version 1. */
  public SimulationConfig withOldMembers(int n) {
    return new SimulationConfig(
        members, topology, faultPhase, livenessBound, faultsPerSecond, mutations, timing, n);
  }

  /** With deliberate defects. */
  public SimulationConfig withMutations(Set<Mutation> m) {
    return new SimulationConfig(
        members, topology, faultPhase, livenessBound, faultsPerSecond, m, timing, oldMembers);
  }
}
