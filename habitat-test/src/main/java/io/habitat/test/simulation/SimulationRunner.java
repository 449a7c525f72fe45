package io.habitat.test.simulation;

import io.habitat.core.Topology;
import io.habitat.core.internal.GroupEngine.Mutation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs many seeds of the {@link Simulation}, on several threads (each seed is independent and
 * deterministic), and reports. From the command line:
 *
 * <pre>
 * --seeds N        run seeds 1..N (default 1000)
 * --seed S         replay one seed and print its trace tail
 * --first S        the first seed of a range (default 1)
 * --seconds B      stop after B seconds of wall time (whatever --seeds says)
 * --members K      group size (default: random 1..7 per seed)
 * --topology T     standalone, leader or initializer (default leader)
 * --mutant M       run with a deliberate defect, e.g. no-check-quorum
 * --old-members K  the first K members speak only protocol version 1 (a rolling upgrade)
 * --threads P      worker threads (default: available processors)
 * </pre>
 *
 * <p>Its last line is exactly {@code simulation: seeds=N violations=V elections=E
 * max-messages-per-election=M}.
 */
public final class SimulationRunner {

  /** The totals of a run. */
  public record Summary(
      long seeds,
      long violations,
      long elections,
      long maxMessagesPerElection,
      long checkedElections,
      double wallSeconds,
      List<SimulationResult> failures) {

    /** Seeds per second of wall time. */
    public double seedsPerSecond() {
      return wallSeconds == 0 ? 0 : seeds / wallSeconds;
    }

    /** The line the runner ends with. */
    public String line() {
      return "simulation: seeds="
          + seeds
          + " violations="
          + violations
          + " elections="
          + elections
          + " max-messages-per-election="
          + maxMessagesPerElection;
    }
  }

  private SimulationRunner() {}

  /**
   * Runs seeds {@code first .. first+count-1} until done, until {@code budgetMillis} of wall time
   * passed, or (with {@code stopAtFirstFailure}) until a seed fails.
   */
  public static Summary run(
      SimulationConfig config,
      long first,
      long count,
      long budgetMillis,
      int threads,
      boolean stopAtFirstFailure) {
    long start = System.nanoTime();
    long deadline =
        budgetMillis >= Long.MAX_VALUE / 2_000_000L
            ? Long.MAX_VALUE
            : start + budgetMillis * 1_000_000L;
    AtomicLong next = new AtomicLong(first);
    AtomicLong seeds = new AtomicLong();
    AtomicLong elections = new AtomicLong();
    AtomicLong checked = new AtomicLong();
    AtomicLong maxMessages = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<SimulationResult> failures = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < Math.max(1, threads); w++) {
        workers.add(
            pool.submit(
                () -> {
                  while (!stop.get()
                      && (deadline == Long.MAX_VALUE || System.nanoTime() - deadline < 0)) {
                    long seed = next.getAndIncrement();
                    if (seed - first >= count) {
                      return;
                    }
                    SimulationResult r = new Simulation(seed, config).run();
                    seeds.incrementAndGet();
                    elections.addAndGet(r.elections());
                    checked.addAndGet(r.checkedElections());
                    maxMessages.accumulateAndGet(r.maxMessagesPerElection(), Math::max);
                    if (!r.passed()) {
                      synchronized (failures) {
                        failures.add(r);
                      }
                      if (stopAtFirstFailure) {
                        stop.set(true);
                      }
                    }
                  }
                }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a simulation worker failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    failures.sort((a, b) -> Long.compare(a.seed(), b.seed()));
    long v = failures.stream().mapToLong(r -> r.violations().size()).sum();
    return new Summary(
        seeds.get(),
        v,
        elections.get(),
        maxMessages.get(),
        checked.get(),
        (System.nanoTime() - start) / 1e9,
        failures);
  }

  /** Prints a failed seed: its violations, the trace tail, and the command that replays it. */
  public static void report(SimulationResult r, SimulationConfig config, PrintStream out) {
    out.println("seed " + r.seed() + " (" + r.members() + " members) failed:");
    for (String v : r.violations()) {
      out.println("  " + v);
    }
    out.println("  trace tail:");
    for (String line : r.traceTail()) {
      out.println("    " + line);
    }
    out.println("  replay: " + replayCommand(r.seed(), config));
  }

  /** The command line that replays one seed. */
  public static String replayCommand(long seed, SimulationConfig config) {
    StringBuilder s =
        new StringBuilder("./mvnw -q -pl habitat-test exec:java@simulate -Dexec.args=\"--seed ")
            .append(seed)
            .append(" --topology ")
            .append(config.topology().configName());
    if (config.members() > 0) {
      s.append(" --members ").append(config.members());
    }
    if (config.oldMembers() > 0) {
      s.append(" --old-members ").append(config.oldMembers());
    }
    for (Mutation m : config.mutations()) {
      s.append(" --mutant ").append(m.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return s.append('"').toString();
  }

  /** Command-line entry point; see the class comment. Exits 1 when a violation was found. */
  public static void main(String[] args) {
    long seeds = 1000;
    long first = 1;
    Long replay = null;
    long seconds = Long.MAX_VALUE / 1_000_000_000L;
    SimulationConfig config = SimulationConfig.defaults();
    int threads = Runtime.getRuntime().availableProcessors();
    Set<Mutation> mutations = EnumSet.noneOf(Mutation.class);
    for (int i = 0; i < args.length; i += 2) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (a) {
        case "--seeds" -> seeds = parse(a, v);
        case "--seed" -> replay = parse(a, v);
        case "--first" -> first = parse(a, v);
        case "--seconds" -> seconds = parse(a, v);
        case "--members" -> config = config.withMembers((int) parse(a, v));
        case "--topology" -> config = config.withTopology(Topology.parse(v));
        case "--threads" -> threads = (int) parse(a, v);
        case "--old-members" -> config = config.withOldMembers((int) parse(a, v));
        case "--mutant" -> mutations.add(mutation(v));
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + a
                    + ": expected --seeds, --seed, --first, --seconds, --members, --topology,"
                    + " --threads, --old-members or --mutant");
      }
    }
    config = config.withMutations(mutations);
    if (replay != null) {
      SimulationResult r = new Simulation(replay, config).verbose().run();
      if (r.passed()) {
        System.out.println("seed " + replay + " passed; trace tail:");
        r.traceTail().forEach(l -> System.out.println("  " + l));
      } else {
        report(r, config, System.out);
      }
      System.out.println(
          new Summary(
                  1,
                  r.violations().size(),
                  r.elections(),
                  r.maxMessagesPerElection(),
                  r.checkedElections(),
                  0,
                  List.of())
              .line());
      System.exit(r.passed() ? 0 : 1);
      return;
    }
    Summary s = run(config, first, seeds, seconds * 1000, threads, false);
    for (SimulationResult r : s.failures()) {
      report(r, config, System.out);
    }
    System.out.printf(
        Locale.ROOT,
        "%d seeds in %.1f s (%.0f seeds/s), %d elections checked for message cost%n",
        s.seeds(),
        s.wallSeconds(),
        s.seedsPerSecond(),
        s.checkedElections());
    System.out.println(s.line());
    System.exit(s.violations() == 0 ? 0 : 1);
  }

  private static long parse(String option, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'", e);
    }
  }

  private static Mutation mutation(String name) {
    for (Mutation m : Mutation.values()) {
      if (m.name().equalsIgnoreCase(name.replace('-', '_'))) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown mutant '" + name + "': expected one of " + EnumSet.allOf(Mutation.class));
  }
}
