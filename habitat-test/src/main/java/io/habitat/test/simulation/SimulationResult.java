package io.habitat.test.simulation;

import java.util.List;

/**
 * The outcome of one seed.
 *
 * @param seed the seed
 * @param members the group size
 * @param violations the invariant violations, each naming the invariant; empty when all held
 * @param elections how many terms were won
 * @param checkedElections how many elections ran with unchanged membership (invariant 6 applies)
 * @param maxMessagesPerElection the most messages any such election cost
 * @param steps how many simulation steps ran
 * @param traceDigest SHA-256 of the whole trace: equal for equal seeds
 * @param traceTail the last lines of the trace
 */
public record SimulationResult(
    long seed,
    int members,
    List<String> violations,
    long elections,
    long checkedElections,
    long maxMessagesPerElection,
    long steps,
    String traceDigest,
    List<String> traceTail) {

  /** Copies the lists. */
  public SimulationResult {
    violations = List.copyOf(violations);
    traceTail = List.copyOf(traceTail);
  }

  /** Whether every invariant held. */
  public boolean passed() {
    return violations.isEmpty();
  }
}
