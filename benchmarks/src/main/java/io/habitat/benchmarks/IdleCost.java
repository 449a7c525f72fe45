package io.habitat.benchmarks;

import java.util.List;

/**
 * What three idle members of one contender cost over the idle window, each member measured from
 * outside ({@code /proc/<pid>/stat}, {@code /proc/<pid>/status}) and by its own answer to {@code
 * stats}.
 *
 * @param contender whose members
 * @param seconds the window
 * @param cpuPercent each member's CPU over the window, in percent of one core
 * @param heapBytes each member's heap in use right after a full collection
 * @param jvmThreads each member's live Java threads
 * @param osThreads each member's OS threads (the JVM's own included)
 * @param server the ZooKeeper server's figures (one entry each), empty lists when there is none
 */
record IdleCost(
    Contender contender,
    long seconds,
    List<Double> cpuPercent,
    List<Long> heapBytes,
    List<Long> jvmThreads,
    List<Long> osThreads,
    Server server) {

  /** The ZooKeeper server's figures, or none. */
  record Server(List<Double> cpuPercent, List<Long> heapBytes, List<Long> osThreads) {
    static final Server NONE = new Server(List.of(), List.of(), List.of());
  }

  /** Copies the lists. */
  IdleCost {
    cpuPercent = List.copyOf(cpuPercent);
    heapBytes = List.copyOf(heapBytes);
    jvmThreads = List.copyOf(jvmThreads);
    osThreads = List.copyOf(osThreads);
  }
}
