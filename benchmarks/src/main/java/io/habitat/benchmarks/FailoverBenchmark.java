package io.habitat.benchmarks;

import io.habitat.benchmarks.Histories.Leader;
import io.habitat.benchmarks.Ring.BenchmarkFailure;
import io.habitat.test.process.MemberProcess;
import io.habitat.test.process.ProcessEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Measures failover and start-up with three member JVMs ({@link BenchmarkMember}) on 127.0.0.1 and
 * prints min/median/max per measurement. Each run of each scenario starts a fresh ring (new JVMs,
 * ports, ring name and data directories) and kills it afterwards.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks exec:java@failover -Dexec.args="--runs 5"
 *   --runs N            runs per scenario (default 5)
 *   --scenarios a,b     of start, kill, stop, pause, close, yield, split (default all)
 *   --preset NAME       loopback (default), tcp or lan, all on 127.0.0.1
 *   --stack FILE        a JGroups XML stack instead of a preset (loopback variables)
 * </pre>
 *
 * <p>{@code -Dhabitat.jgroups.log=DEBUG} and {@code -Dhabitat.log=DEBUG} on the command line set
 * the levels of JGroups' and Habitat's loggers in the members' log files (WARN and INFO by
 * default). Each member's events are kept next to its log, as {@code <name>.events}.
 *
 * <p>Scenarios: {@code kill}: {@code kill -9} of the leader, until both survivors name the same new
 * leader, which reported {@code elected}. {@code stop}: {@code kill -STOP} of the leader, until the
 * same; then {@code kill -CONT}, until the old leader reports {@code revoked}, and until it names
 * the new leader. {@code pause}: the leader stopped for one second, then resumed; a failover counts
 * if any member names a new term within three seconds. {@code close}: a graceful close of the
 * leader. {@code yield}: the leader yields, until all three name the new leader. {@code start}:
 * three JVMs launched together, until all three name one leader (every run of every other scenario
 * but split measures this too). {@code split}: m1 starts and is stopped; m2 and m3 start and form a
 * ring of their own; m1 resumes: until all three name one leader.
 *
 * <p>Clocks: a measurement starts at the parent's {@link System#currentTimeMillis()} just before it
 * sends the signal or command (for {@code start}, before it launches the first JVM), and ends at
 * the time a member stamped on its event with its own {@link System#currentTimeMillis()}. All
 * processes run on one machine and read the same clock, so the difference is meaningful; pipe and
 * parsing delays do not count. {@code kill -STOP} and {@code kill -CONT} run the external {@code
 * kill} command: the measured times include its few milliseconds of start-up.
 *
 * <p>Nothing is asserted: the numbers are printed, and a run that does not reach its end within
 * {@link Ring#WAIT} is reported as failed (the others go on).
 */
public final class FailoverBenchmark {

  private static final List<String> SCENARIOS =
      List.of("start", "kill", "stop", "pause", "close", "yield", "split");
  private static final long PAUSE_MILLIS = 1000;
  private static final long PAUSE_WATCH_MILLIS = 3000;

  private final PrintStream out;
  private final Ring.Settings settings;
  private final Path logRoot;
  private final Path dataRoot;
  private final Map<String, Stats> stats = new LinkedHashMap<>();
  private final Map<String, int[]> counts = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();

  private FailoverBenchmark(PrintStream out, Ring.Settings settings, Path logRoot, Path dataRoot) {
    this.out = out;
    this.settings = settings;
    this.logRoot = logRoot;
    this.dataRoot = dataRoot;
  }

  /** Runs the benchmark; see the class comment. Exits with 0, or 1 if any run failed. */
  public static void main(String[] args) throws IOException {
    int runs = 5;
    List<String> scenarios = SCENARIOS;
    List<String> memberOptions = new ArrayList<>();
    String description = "preset loopback";
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(value);
        case "--scenarios" -> scenarios = List.of(value.split(","));
        case "--preset" -> {
          memberOptions.addAll(List.of("--preset", value));
          description = "preset " + value;
        }
        case "--stack" -> {
          Path stack = Path.of(value).toAbsolutePath();
          memberOptions.addAll(List.of("--stack", stack.toString()));
          description = "stack " + stack;
        }
        default -> {
          System.err.println(
              "usage: FailoverBenchmark [--runs N] [--scenarios "
                  + String.join(",", SCENARIOS)
                  + "] [--preset loopback|tcp|lan] [--stack FILE]");
          System.exit(2);
          return;
        }
      }
    }
    for (String s : scenarios) {
      if (!SCENARIOS.contains(s)) {
        System.err.println("unknown scenario '" + s + "': use " + String.join(",", SCENARIOS));
        System.exit(2);
        return;
      }
    }
    Path logRoot = Files.createTempDirectory("habitat-bench-logs-");
    Path dataRoot = Files.createTempDirectory("habitat-bench-data-");
    FailoverBenchmark bench =
        new FailoverBenchmark(
            System.out,
            new Ring.Settings(
                Classpaths.without(Classpaths.own(), Classpaths.CURATOR_JARS),
                memberOptions,
                jvmOptions()),
            logRoot,
            dataRoot);
    System.out.printf(
        Locale.ROOT,
        "failover benchmark: %d runs of %s, 3 member JVMs on 127.0.0.1, %s, %d cores;"
            + " member logs in %s%n",
        runs,
        String.join(",", scenarios),
        description,
        Runtime.getRuntime().availableProcessors(),
        logRoot);
    String loadBefore = loadAverage();
    try {
      bench.run(scenarios, runs);
    } finally {
      deleteQuietly(dataRoot);
    }
    bench.summary();
    System.out.println();
    System.out.println(
        "load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAverage());
    System.exit(bench.failures.isEmpty() ? 0 : 1);
  }

  private void run(List<String> scenarios, int runs) {
    for (String scenario : scenarios) {
      for (int run = 1; run <= runs; run++) {
        String label = String.format(Locale.ROOT, "%-5s %d/%d", scenario, run, runs);
        Path logs = logRoot.resolve(scenario + "-" + run);
        Path data = dataRoot.resolve(scenario + "-" + run);
        try (Ring ring = new Ring(settings, logs, data)) {
          String result =
              switch (scenario) {
                case "start" -> startOnly(ring);
                case "kill" -> kill(ring);
                case "stop" -> stop(ring);
                case "pause" -> pause(ring);
                case "close" -> close(ring);
                case "yield" -> yieldLeadership(ring);
                case "split" -> split(ring);
                default -> throw new IllegalArgumentException(scenario);
              };
          out.println(label + ": " + result);
        } catch (BenchmarkFailure | RuntimeException e) {
          String message = label + ": FAILED: " + e.getMessage();
          failures.add(message);
          out.println(message);
        }
        out.flush();
      }
    }
  }

  // ---------------------------------------------------------------- scenarios

  /** Three JVMs launched together, until all three name one leader. */
  private Started startRing(Ring ring) throws BenchmarkFailure {
    long launched = System.currentTimeMillis();
    for (String name : List.of("m1", "m2", "m3")) {
      ring.start(name);
    }
    List<MemberProcess> all = ring.members();
    Leader leader = ring.awaitAgreement(all, 0, Set.of(), true);
    Map<String, List<ProcessEvent>> h = Ring.histories(all);
    long agreed = Histories.agreedAt(h, leader, launched);
    record("start: 3 JVMs launched -> all name one leader", agreed - launched);
    lastOf(h.values(), launched, e -> e.type().equals("jvm"))
        .ifPresent(t -> record("  start: ... -> every main() running", t - launched));
    lastOf(h.values(), launched, e -> e.type().equals("connecting"))
        .ifPresent(t -> record("  start: ... -> every member built, joining", t - launched));
    lastOf(h.values(), launched, e -> e.type().equals("started"))
        .ifPresent(t -> record("  start: ... -> every member joined a ring", t - launched));
    lastOf(h.values(), launched, e -> e.type().equals("view") && e.require("size").equals("3"))
        .ifPresent(t -> record("  start: ... -> every member in the 3-member view", t - launched));
    count(
        "start: rings formed apart and merged",
        h.values().stream()
            .anyMatch(
                events ->
                    Histories.any(
                        events,
                        launched,
                        e -> e.type().equals("view") && e.require("merge").equals("true"))));
    for (List<ProcessEvent> events : h.values()) {
      cpu(events, "jvm", "  start: CPU of one JVM until main()");
      cpu(events, "connecting", "  start: CPU of one JVM until built, joining");
      cpu(events, "started", "  start: CPU of one JVM until joined");
    }
    // Before any fault: every member also counts all three as voters (the leader sends the first
    // voting membership right after it wins), so that two survivors are a majority of it.
    ring.await(
        "every member counting all three as voters",
        () ->
            h.keySet().stream()
                    .allMatch(
                        name ->
                            Histories.votersInLatestCensus(ring.named(name).events())
                                .containsAll(h.keySet()))
                ? Optional.of(Boolean.TRUE)
                : Optional.empty());
    return new Started(leader, agreed - launched);
  }

  /** The leader a started ring agreed on, and how long that took from the first launch. */
  private record Started(Leader leader, long millis) {}

  private String startOnly(Ring ring) throws BenchmarkFailure {
    Started started = startRing(ring);
    return String.format(
        Locale.ROOT,
        "all three name %s (term %d) %d ms after the first launch",
        started.leader().name(),
        started.leader().term(),
        started.millis());
  }

  private String kill(Ring ring) throws BenchmarkFailure {
    Leader first = startRing(ring).leader();
    MemberProcess leader = ring.named(first.name());
    List<MemberProcess> survivors = others(ring, leader);
    long killed = System.currentTimeMillis();
    leader.kill();
    Leader next = ring.awaitAgreement(survivors, first.term(), Set.of(leader.name()), false);
    Map<String, List<ProcessEvent>> h = Ring.histories(survivors);
    long took = Histories.agreedAt(h, next, killed) - killed;
    record("kill -9 leader -> new leader named by both survivors", took);
    OptionalLong view =
        lastOf(h.values(), killed, e -> e.type().equals("view") && e.require("size").equals("2"));
    view.ifPresent(
        t -> record("  kill -9: ... -> both survivors in a view without it", t - killed));
    return String.format(
        Locale.ROOT,
        "killed %s at %s; %s (term %d) named by both survivors after %d ms (view without it: %s)",
        first.name(),
        java.time.Instant.ofEpochMilli(killed),
        next.name(),
        next.term(),
        took,
        view.isPresent() ? (view.getAsLong() - killed) + " ms" : "none");
  }

  private String stop(Ring ring) throws BenchmarkFailure {
    Leader first = startRing(ring).leader();
    MemberProcess leader = ring.named(first.name());
    List<MemberProcess> survivors = others(ring, leader);
    long stopped = System.currentTimeMillis();
    leader.freeze();
    long signalled = System.currentTimeMillis() - stopped;
    Leader next = ring.awaitAgreement(survivors, first.term(), Set.of(leader.name()), false);
    Map<String, List<ProcessEvent>> h = Ring.histories(survivors);
    long took = Histories.agreedAt(h, next, stopped) - stopped;
    record("kill -STOP leader -> new leader named by both survivors", took);

    long continued = System.currentTimeMillis();
    leader.resume();
    long revokedAt =
        ring.await(
            "revoked event of " + leader.name() + " for term " + first.term(),
            () -> {
              OptionalLong t =
                  Histories.first(
                      leader.events(),
                      continued,
                      e ->
                          e.type().equals("revoked")
                              && Long.parseLong(e.require("term")) == first.term());
              return t.isPresent() ? Optional.of(t.getAsLong()) : Optional.empty();
            });
    record("kill -CONT old leader -> it reports revoked", revokedAt - continued);
    Leader rejoined = ring.awaitAgreement(ring.members(), first.term(), Set.of(), true);
    long follows =
        Histories.first(
                leader.events(),
                continued,
                e ->
                    e.type().equals("census")
                        && e.require("leader").equals(rejoined.name())
                        && Long.parseLong(e.require("term")) == rejoined.term())
            .orElse(continued);
    record("  kill -CONT: ... -> old leader names the new one", follows - continued);
    boolean excluded =
        Histories.any(
            h.values().iterator().next(),
            stopped,
            e -> e.type().equals("view") && e.require("size").equals("2"));
    count("kill -STOP: old leader excluded from the JGroups view while stopped", excluded);
    return String.format(
        Locale.ROOT,
        "stopped %s (kill took %d ms); %s (term %d) named by both survivors after %d ms;"
            + " revoked %d ms after SIGCONT, names %s %d ms after SIGCONT%s",
        first.name(),
        signalled,
        next.name(),
        next.term(),
        took,
        revokedAt - continued,
        rejoined.name(),
        follows - continued,
        excluded ? "; it had been excluded from the view" : "");
  }

  private String pause(Ring ring) throws BenchmarkFailure {
    Leader first = startRing(ring).leader();
    MemberProcess leader = ring.named(first.name());
    long stopSent = System.currentTimeMillis();
    leader.freeze();
    long stoppedBy = System.currentTimeMillis();
    parkUntil(stoppedBy + PAUSE_MILLIS);
    long continueSent = System.currentTimeMillis();
    leader.resume();
    long continuedBy = System.currentTimeMillis();
    record("  pause: leader stopped for (ms, at least)", continueSent - stoppedBy);
    long watchUntil = continuedBy + PAUSE_WATCH_MILLIS;
    parkUntil(watchUntil);
    boolean failover = false;
    boolean excluded = false;
    for (MemberProcess m : ring.members()) {
      List<ProcessEvent> events = m.events();
      failover |=
          Histories.any(
              events,
              stopSent,
              e ->
                  e.type().equals("census")
                      && (Long.parseLong(e.require("term")) != first.term()
                          || !e.require("leader").equals(first.name())));
      excluded |=
          Histories.any(
              events, stopSent, e -> e.type().equals("view") && !e.require("size").equals("3"));
    }
    count("pause 1 s: leadership changed (term or leader)", failover);
    count("pause 1 s: a member left the JGroups view", excluded);
    return String.format(
        Locale.ROOT,
        "%s stopped for %d..%d ms; %s; %s",
        first.name(),
        continueSent - stoppedBy,
        continuedBy - stopSent,
        failover ? "LEADERSHIP CHANGED" : "no leadership change within 3 s",
        excluded ? "a view change" : "no view change");
  }

  private String close(Ring ring) throws BenchmarkFailure {
    Leader first = startRing(ring).leader();
    MemberProcess leader = ring.named(first.name());
    List<MemberProcess> survivors = others(ring, leader);
    long sent = System.currentTimeMillis();
    leader.send("close");
    Leader next = ring.awaitAgreement(survivors, first.term(), Set.of(leader.name()), false);
    long took = Histories.agreedAt(Ring.histories(survivors), next, sent) - sent;
    record("graceful close of leader -> new leader named by both survivors", took);
    int code = leader.awaitExit(Ring.WAIT);
    return String.format(
        Locale.ROOT,
        "closed %s (exit %d); %s (term %d) named by both survivors after %d ms",
        first.name(),
        code,
        next.name(),
        next.term(),
        took);
  }

  private String yieldLeadership(Ring ring) throws BenchmarkFailure {
    Leader first = startRing(ring).leader();
    MemberProcess leader = ring.named(first.name());
    long sent = System.currentTimeMillis();
    leader.send("yield");
    List<MemberProcess> all = ring.members();
    Leader next = ring.awaitAgreement(all, first.term(), Set.of(leader.name()), true);
    long took = Histories.agreedAt(Ring.histories(all), next, sent) - sent;
    record("yield of leader -> new leader named by all three", took);
    return String.format(
        Locale.ROOT,
        "%s yielded; %s (term %d) named by all three after %d ms",
        first.name(),
        next.name(),
        next.term(),
        took);
  }

  private String split(Ring ring) throws BenchmarkFailure {
    MemberProcess m1 = ring.start("m1");
    m1.awaitEvent("started", Ring.WAIT);
    m1.freeze();
    MemberProcess m2 = ring.start("m2");
    MemberProcess m3 = ring.start("m3");
    for (MemberProcess m : List.of(m2, m3)) {
      m.awaitEvent("view", e -> e.require("size").equals("2"), Ring.WAIT);
    }
    long continued = System.currentTimeMillis();
    m1.resume();
    List<MemberProcess> all = ring.members();
    Leader leader = ring.awaitAgreement(all, 0, Set.of(), true);
    Map<String, List<ProcessEvent>> h = Ring.histories(all);
    long took = Histories.agreedAt(h, leader, continued) - continued;
    record("split start-up healed: m1 resumed -> all name one leader", took);
    OptionalLong merged =
        lastOf(
            h.values(), continued, e -> e.type().equals("view") && e.require("size").equals("3"));
    merged.ifPresent(t -> record("  split: ... -> every member in the merged view", t - continued));
    return String.format(
        Locale.ROOT,
        "{m1} and {m2,m3} merged after %s, all name %s (term %d) after %d ms",
        merged.isPresent() ? (merged.getAsLong() - continued) + " ms" : "?",
        leader.name(),
        leader.term(),
        took);
  }

  // ---------------------------------------------------------------- helpers

  private static List<MemberProcess> others(Ring ring, MemberProcess leader) {
    return ring.members().stream().filter(m -> m != leader).collect(Collectors.toList());
  }

  private static OptionalLong lastOf(
      Collection<List<ProcessEvent>> histories, long since, Histories.EventTest test) {
    return Histories.lastOfFirsts(histories, since, test);
  }

  /** Records the CPU time a member reported with its first event of the type, if it did. */
  private void cpu(List<ProcessEvent> events, String type, String measurement) {
    events.stream()
        .filter(e -> e.type().equals(type))
        .findFirst()
        .flatMap(e -> e.field("cpu-ms"))
        .map(Long::parseLong)
        .filter(ms -> ms >= 0)
        .ifPresent(ms -> record(measurement, ms));
  }

  private void record(String measurement, long millis) {
    stats.computeIfAbsent(measurement, Stats::new).add(millis);
  }

  private void count(String what, boolean happened) {
    int[] yesAndAll = counts.computeIfAbsent(what, w -> new int[2]);
    yesAndAll[0] += happened ? 1 : 0;
    yesAndAll[1]++;
  }

  private static void parkUntil(long wallMillis) {
    long left;
    while ((left = wallMillis - System.currentTimeMillis()) > 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
    }
  }

  private void summary() {
    int width = stats.keySet().stream().mapToInt(String::length).max().orElse(10);
    out.println();
    out.printf(
        Locale.ROOT,
        "%-" + width + "s %3s %7s %7s %7s%n",
        "measurement (ms)",
        "n",
        "min",
        "median",
        "max");
    for (Stats s : stats.values()) {
      out.println(s.row(width));
    }
    if (!counts.isEmpty()) {
      out.println();
      counts.forEach((what, n) -> out.println(what + ": " + n[0] + " of " + n[1] + " runs"));
    }
    if (!failures.isEmpty()) {
      out.println();
      out.println(failures.size() + " run(s) failed:");
      failures.forEach(f -> out.println("  " + f));
    }
  }

  /**
   * JVM options for the members: {@code -Dhabitat.jgroups.log=LEVEL} and {@code
   * -Dhabitat.log=LEVEL} are passed on when set (the levels of JGroups' and Habitat's loggers in
   * the members' log files; WARN and INFO by default).
   */
  private static List<String> jvmOptions() {
    List<String> options = new ArrayList<>();
    for (String property : List.of("habitat.jgroups.log", "habitat.log")) {
      String level = System.getProperty(property);
      if (level != null) {
        options.add("-D" + property + "=" + level);
      }
    }
    return options;
  }

  /** The first three fields of /proc/loadavg, or "unknown" where there is none. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", -1);
      return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not delete " + root + ": " + e);
    }
  }
}
