package io.habitat.benchmarks;

import io.habitat.benchmarks.Ring.BenchmarkFailure;
import io.habitat.benchmarks.Timeline.Agreement;
import io.habitat.benchmarks.members.ZooKeeperServer;
import io.habitat.test.process.FreePorts;
import io.habitat.test.process.MemberProcess;
import io.habitat.test.process.ProcessEvent;
import io.habitat.test.process.ProcessLauncher;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
import org.jspecify.annotations.Nullable;

/**
 * Failover, start-up and idle cost of habitat side by side with plain JGroups, Apache Curator on
 * ZooKeeper and jgroups-raft, each as three member JVMs on 127.0.0.1; and, in this JVM, habitat's
 * messages per election and a 100-member ring. The contenders run one after another, never at the
 * same time, each ring in fresh JVMs that are killed (by PID) after the run.
 *
 * <pre>
 * ./mvnw -B -q install -DskipTests &amp;&amp; ./mvnw -B -q -pl benchmarks exec:java@bench -Dexec.args="--quick"
 * </pre>
 *
 * <p>Options: {@link Options}. Scenarios: {@code kill-9} ({@code kill -9} of the leader), {@code
 * kill-stop} ({@code kill -STOP} of the leader; {@code kill -CONT} once a survivor is elected or
 * after 5 s), {@code close} (the leader closes gracefully), {@code start} (three JVMs launched
 * together until all three name one leader that reported {@code elected}; every ring started for
 * any scenario counts), {@code idle} (CPU, heap and threads of idle members), {@code messages}
 * (habitat's messages per election for 3, 5 and 7 members), {@code ring-100} (a leader crash in a
 * 100-member group). A failover's time is the first leadership callback in a survivor minus the
 * moment of the fault, both wall-clock milliseconds of this machine (the member stamps its event;
 * the driver reads its clock just before it sends the signal or command).
 *
 * <p>Writes {@code bench-results.md} and {@code bench-results.json} to the output directory (the
 * system property {@code habitat.bench.output}, the module's {@code target} under Maven), prints
 * the markdown, and ends with one line per timed scenario: {@code benchmark: scenario=<id>
 * habitat-median-ms=<x> best-peer=<name> best-peer-median-ms=<y> ratio=<y/x>}. Nothing is asserted;
 * the exit code is 1 if any run failed, 2 for a bad command line.
 */
public final class Bench {

  private static final long FAILOVER_BOUND = 90_000;
  private static final long STOP_BOUND = 5_000;
  private static final long START_BOUND = 60_000;
  private static final Duration STATS_WAIT = Duration.ofSeconds(20);

  private final Options options;
  private final PrintStream out;
  private final Report report;
  private final Path logRoot;
  private final Path dataRoot;
  private final Path raftClasspath;

  private Bench(Options options, PrintStream out, Path logRoot, Path dataRoot, Path raftClasspath) {
    this.options = options;
    this.out = out;
    this.report = new Report(options.contenders());
    this.logRoot = logRoot;
    this.dataRoot = dataRoot;
    this.raftClasspath = raftClasspath;
  }

  /** Runs the benchmark; see the class comment. */
  public static void main(String[] args) throws IOException {
    // The in-process elections run habitat here; its INFO lines (every start-up and election of
    // hundreds of members) would bury the report. The level applies to this JVM's logback.xml.
    if (System.getProperty("habitat.log") == null) {
      System.setProperty("habitat.log", "WARN");
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path output = Path.of(System.getProperty("habitat.bench.output", "target"));
    Path raftClasspath =
        Path.of(
            System.getProperty(
                "habitat.bench.raft-classpath",
                "benchmarks/raft-member/target/raft-member.classpath"));
    if (options.contenders().contains(Contender.JGROUPS_RAFT) && options.anyProcessScenario()) {
      try {
        Classpaths.raft(raftClasspath);
      } catch (IllegalStateException e) {
        System.err.println(e.getMessage());
        System.exit(2);
        return;
      }
    }
    Files.createDirectories(output);
    Path logRoot = Files.createTempDirectory("habitat-bench-logs-");
    Path dataRoot = Files.createTempDirectory("habitat-bench-data-");
    Bench bench = new Bench(options, System.out, logRoot, dataRoot, raftClasspath);
    int failures;
    try {
      failures = bench.runAll(output, String.join(" ", args));
    } finally {
      deleteQuietly(dataRoot);
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  private int runAll(Path output, String arguments) throws IOException {
    long began = System.currentTimeMillis();
    MachineLoad whole = MachineLoad.start();
    out.printf(
        Locale.ROOT,
        "bench: %d runs per scenario, scenarios %s, contenders %s; %d cores, Java %s;"
            + " member logs in %s%n",
        options.reps(),
        String.join(",", options.scenarios()),
        options.contenders().stream().map(Contender::id).collect(Collectors.joining(",")),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        logRoot);
    out.flush();
    if (options.anyProcessScenario()) {
      for (Contender contender : options.contenders()) {
        runContender(contender);
      }
    }
    if (options.scenarios().contains("messages")) {
      for (int n : new int[] {3, 5, 7}) {
        for (int rep = 1; rep <= options.reps(); rep++) {
          InProcessElections.Failover f = InProcessElections.failover(n, rep);
          report.messages.add(f);
          out.printf(
              Locale.ROOT,
              "messages n=%d %d/%d: %d election messages (%s), elected after %d virtual ms%n",
              n,
              rep,
              options.reps(),
              f.electionMessages(),
              f.breakdown(),
              f.electedMillis());
        }
      }
    }
    if (options.scenarios().contains("ring-100")) {
      int runs = Math.min(3, options.reps());
      for (int rep = 1; rep <= runs; rep++) {
        long t0 = System.nanoTime();
        InProcessElections.Failover f = InProcessElections.failover(100, rep);
        report.ring100.add(f);
        out.printf(
            Locale.ROOT,
            "ring-100 %d/%d: %d election messages (%s), elected after %d, all agree after %d"
                + " virtual ms (%d ms of real time for the whole run)%n",
            rep,
            runs,
            f.electionMessages(),
            f.breakdown(),
            f.electedMillis(),
            f.agreedMillis(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      }
    }
    MachineLoad.Reading total = whole.read();
    long tookSeconds = (System.currentTimeMillis() - began) / 1000;
    String date =
        DateTimeFormatter.ISO_LOCAL_DATE_TIME
            .withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochMilli(began).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    List<String> summary = new ArrayList<>();
    for (String scenario : Options.TIMED) {
      if (options.scenarios().contains(scenario)) {
        summary.add(report.summaryLine(scenario));
      }
    }
    String markdown = markdown(date, arguments, tookSeconds, total);
    Map<String, String> header = new LinkedHashMap<>();
    header.put("date", date + "Z");
    header.put("arguments", arguments);
    header.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    header.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    header.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    header.put("reps", Integer.toString(options.reps()));
    header.put("tookSeconds", Long.toString(tookSeconds));
    Files.writeString(output.resolve("bench-results.md"), markdown, StandardCharsets.UTF_8);
    Files.writeString(
        output.resolve("bench-results.json"),
        report.json(header, total, summary) + "\n",
        StandardCharsets.UTF_8);
    out.println();
    out.print(markdown);
    out.println();
    out.println(
        "written: "
            + output.resolve("bench-results.md")
            + ", "
            + output.resolve("bench-results.json"));
    summary.forEach(out::println);
    out.flush();
    return report.failures.size();
  }

  private String markdown(
      String date, String arguments, long tookSeconds, MachineLoad.Reading total) {
    StringBuilder md = new StringBuilder();
    md.append("Run of ")
        .append(date)
        .append(" UTC, arguments `")
        .append(arguments.isEmpty() ? "(none)" : arguments)
        .append("`, ")
        .append(options.reps())
        .append(" runs per scenario; ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append("; took ")
        .append(tookSeconds / 60)
        .append(" min ")
        .append(tookSeconds % 60)
        .append(" s.\n\n");
    if (!report.timed.isEmpty()) {
      md.append(report.timedTable()).append('\n');
    }
    String idle = report.idleTable();
    if (!idle.isEmpty()) {
      md.append(idle).append('\n');
    }
    String elections = report.electionsTable();
    if (!elections.isEmpty()) {
      md.append(elections).append('\n');
    }
    if (!report.notes.isEmpty()) {
      md.append("Contenders:\n\n");
      report.notes.forEach(
          (c, note) -> md.append("- ").append(c.id()).append(": ").append(note).append('\n'));
      md.append('\n');
    }
    md.append(
        "Machine load while each contender ran (CPU of processes other than the benchmark's):\n\n");
    md.append(report.loadLines(total)).append('\n');
    if (!report.failures.isEmpty()) {
      md.append(report.failures.size()).append(" run(s) failed:\n\n");
      report.failures.forEach(f -> md.append("- ").append(f).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  // ---------------------------------------------------------------- one contender

  private void runContender(Contender contender) {
    MachineLoad load = MachineLoad.start();
    String classpath = Classpaths.of(contender, Classpaths.own(), raftClasspath);
    report.notes.put(contender, contender.description());
    out.println();
    out.println("== " + contender.id() + ": " + contender.description());
    out.flush();
    ZooKeeper zooKeeper = null;
    try {
      if (contender.needsZooKeeper()) {
        zooKeeper =
            new ZooKeeper(
                classpath,
                logRoot.resolve(contender.id() + "-zookeeper"),
                dataRoot.resolve(contender.id() + "-zookeeper"));
        report.notes.put(contender, contender.description() + "; " + zooKeeper.describe());
      }
      int zooKeeperPort = zooKeeper == null ? 0 : zooKeeper.port;
      for (String scenario : List.of("kill-9", "kill-stop", "close")) {
        if (!options.scenarios().contains(scenario)) {
          continue;
        }
        for (int rep = 1; rep <= options.reps(); rep++) {
          run(contender, classpath, zooKeeperPort, scenario, rep);
        }
      }
      if (options.scenarios().contains("start")) {
        int rep = 1;
        while (report.measurement("start", contender, START_BOUND).count()
                + report.measurement("start", contender, START_BOUND).failed()
            < options.reps()) {
          run(contender, classpath, zooKeeperPort, "start", rep++);
        }
      }
      if (options.scenarios().contains("idle")) {
        idle(contender, classpath, zooKeeperPort, zooKeeper);
      }
    } catch (BenchmarkFailure | RuntimeException e) {
      String message = contender.id() + ": FAILED: " + e.getMessage();
      report.failures.add(message);
      out.println(message);
    } finally {
      if (zooKeeper != null) {
        zooKeeper.close();
      }
    }
    MachineLoad.Reading reading = load.read();
    report.loads.put(contender, reading);
    out.println(contender.id() + ": " + reading.text());
    out.flush();
  }

  private void run(
      Contender contender, String classpath, int zooKeeperPort, String scenario, int rep) {
    String label =
        String.format(Locale.ROOT, "%s %-9s %d/%d", contender.id(), scenario, rep, options.reps());
    String name = contender.id() + "-" + scenario + "-" + rep;
    try (ContenderRing ring =
        new ContenderRing(
            contender, classpath, logRoot.resolve(name), dataRoot.resolve(name), zooKeeperPort)) {
      String result =
          switch (scenario) {
            case "kill-9" -> kill9(contender, ring);
            case "kill-stop" -> killStop(contender, ring);
            case "close" -> close(contender, ring);
            case "start" -> started(start(contender, ring));
            default -> throw new IllegalArgumentException(scenario);
          };
      out.println(label + ": " + result);
    } catch (BenchmarkFailure | RuntimeException e) {
      report.measurement(scenario, contender, bound(scenario)).addFailed();
      String message = label + ": FAILED: " + e.getMessage();
      report.failures.add(message);
      out.println(message);
    }
    out.flush();
  }

  private static long bound(String row) {
    return switch (row) {
      case "kill-stop", "kill-stop-revoked" -> STOP_BOUND;
      case "start" -> START_BOUND;
      default -> FAILOVER_BOUND;
    };
  }

  /** Launches the three JVMs and waits until they agree on a leader (a start sample); its name. */
  private Started start(Contender contender, ContenderRing ring) throws BenchmarkFailure {
    long launched = System.currentTimeMillis();
    ring.startAll();
    List<MemberProcess> all = ring.members();
    Agreement agreement =
        ring.await(
            "agreement of all three on a leader",
            Duration.ofMillis(START_BOUND),
            () -> Timeline.agreement(ContenderRing.histories(all), launched));
    report.measurement("start", contender, START_BOUND).add(agreement.at() - launched);
    settle(contender, ring);
    return new Started(agreement.leader(), agreement.at() - launched);
  }

  /** The leader a started ring agreed on, and how long that took from the first launch. */
  private record Started(String leader, long millis) {}

  private static String started(Started s) {
    return "all three name " + s.leader() + " after " + s.millis() + " ms";
  }

  /**
   * Before a fault, the ring must be whole as the contender sees it: habitat members count all
   * three as voters (so two survivors are a majority), JGroups members all have the three-member
   * view. Curator's and jgroups-raft's agreement already needs all three.
   */
  private static void settle(Contender contender, ContenderRing ring) throws BenchmarkFailure {
    Set<String> names = Set.copyOf(ContenderRing.NAMES);
    switch (contender) {
      case HABITAT ->
          ring.await(
              "every member counting all three as voters",
              Duration.ofSeconds(30),
              () ->
                  ring.members().stream()
                          .allMatch(
                              m -> Histories.votersInLatestCensus(m.events()).containsAll(names))
                      ? Optional.of(Boolean.TRUE)
                      : Optional.empty());
      case JGROUPS, JGROUPS_TUNED ->
          ring.await(
              "every member in the three-member view",
              Duration.ofSeconds(30),
              () ->
                  ring.members().stream()
                          .allMatch(
                              m ->
                                  Timeline.latest(m.events(), "view")
                                      .map(e -> e.require("size").equals("3"))
                                      .orElse(false))
                      ? Optional.of(Boolean.TRUE)
                      : Optional.empty());
      default -> {
        // the agreement is enough
      }
    }
  }

  private String kill9(Contender contender, ContenderRing ring) throws BenchmarkFailure {
    MemberProcess leader = ring.named(start(contender, ring).leader());
    List<MemberProcess> survivors = ring.others(leader);
    long killed = System.currentTimeMillis();
    leader.kill();
    OptionalLong elected = awaitElected(ring, survivors, killed, FAILOVER_BOUND);
    Measurement m = report.measurement("kill-9", contender, FAILOVER_BOUND);
    if (elected.isEmpty()) {
      m.addNone();
      return "killed " + leader.name() + "; no survivor elected within " + FAILOVER_BOUND + " ms";
    }
    m.add(elected.getAsLong() - killed);
    return String.format(
        Locale.ROOT,
        "killed %s; a survivor elected after %d ms",
        leader.name(),
        elected.getAsLong() - killed);
  }

  private String killStop(Contender contender, ContenderRing ring) throws BenchmarkFailure {
    MemberProcess leader = ring.named(start(contender, ring).leader());
    List<MemberProcess> survivors = ring.others(leader);
    long stopped = System.currentTimeMillis();
    leader.freeze();
    OptionalLong elected = awaitElected(ring, survivors, stopped, STOP_BOUND);
    long continued = System.currentTimeMillis();
    leader.resume();
    OptionalLong revoked =
        ring.poll(
                Duration.ofMillis(STOP_BOUND),
                () -> {
                  OptionalLong t = Timeline.first(leader.events(), stopped, "revoked", e -> true);
                  return t.isPresent() ? Optional.of(t.getAsLong()) : Optional.empty();
                })
            .map(OptionalLong::of)
            .orElse(OptionalLong.empty());
    Measurement newLeader = report.measurement("kill-stop", contender, STOP_BOUND);
    Measurement oldLeader = report.measurement("kill-stop-revoked", contender, STOP_BOUND);
    String first;
    if (elected.isPresent()) {
      newLeader.add(elected.getAsLong() - stopped);
      first = "a survivor elected after " + (elected.getAsLong() - stopped) + " ms";
    } else {
      newLeader.addNone();
      first = "no survivor elected within " + STOP_BOUND + " ms";
    }
    String second;
    if (revoked.isPresent()) {
      long after = Math.max(0, revoked.getAsLong() - continued);
      oldLeader.add(after);
      second = "revoked " + after + " ms after SIGCONT";
    } else {
      oldLeader.addNone();
      second = "never revoked within " + STOP_BOUND + " ms of SIGCONT";
    }
    return "stopped " + leader.name() + "; " + first + "; " + second;
  }

  private String close(Contender contender, ContenderRing ring) throws BenchmarkFailure {
    MemberProcess leader = ring.named(start(contender, ring).leader());
    List<MemberProcess> survivors = ring.others(leader);
    long sent = System.currentTimeMillis();
    leader.send("close");
    OptionalLong elected = awaitElected(ring, survivors, sent, FAILOVER_BOUND);
    Measurement m = report.measurement("close", contender, FAILOVER_BOUND);
    if (elected.isEmpty()) {
      m.addNone();
      return "closed " + leader.name() + "; no survivor elected within " + FAILOVER_BOUND + " ms";
    }
    m.add(elected.getAsLong() - sent);
    return String.format(
        Locale.ROOT,
        "closed %s; a survivor elected after %d ms",
        leader.name(),
        elected.getAsLong() - sent);
  }

  private static OptionalLong awaitElected(
      ContenderRing ring, List<MemberProcess> survivors, long since, long boundMillis) {
    long deadline = since + boundMillis;
    Optional<Long> t =
        ring.poll(
            Duration.ofMillis(Math.max(0, deadline - System.currentTimeMillis())),
            () -> {
              OptionalLong first =
                  Timeline.firstElected(
                      survivors.stream().map(MemberProcess::events).toList(), since);
              return first.isPresent() && first.getAsLong() <= deadline
                  ? Optional.of(first.getAsLong())
                  : Optional.empty();
            });
    return t.isPresent() ? OptionalLong.of(t.get()) : OptionalLong.empty();
  }

  // ---------------------------------------------------------------- idle cost

  private void idle(
      Contender contender, String classpath, int zooKeeperPort, @Nullable ZooKeeper zooKeeper)
      throws BenchmarkFailure {
    String name = contender.id() + "-idle";
    try (ContenderRing ring =
        new ContenderRing(
            contender, classpath, logRoot.resolve(name), dataRoot.resolve(name), zooKeeperPort)) {
      start(contender, ring);
      List<MemberProcess> members = ring.members();
      parkUntil(System.currentTimeMillis() + 2000);
      List<Long> pids = new ArrayList<>();
      members.forEach(m -> pids.add(m.pid()));
      if (zooKeeper != null) {
        pids.add(zooKeeper.process.pid());
      }
      long[] before = new long[pids.size()];
      long from = System.nanoTime();
      for (int i = 0; i < pids.size(); i++) {
        before[i] = ProcStat.process(pids.get(i), false).orElse(-1);
      }
      parkUntil(System.currentTimeMillis() + options.idle().toMillis());
      double seconds = (System.nanoTime() - from) / 1e9;
      List<Double> cpu = new ArrayList<>();
      for (int i = 0; i < pids.size(); i++) {
        long after = ProcStat.process(pids.get(i), false).orElse(-1);
        cpu.add(
            before[i] < 0 || after < 0
                ? -1.0
                : 100.0 * (after - before[i]) / ProcStat.TICKS_PER_SECOND / seconds);
      }
      List<Long> osThreads = new ArrayList<>();
      for (long pid : pids) {
        osThreads.add(ProcStat.threads(pid).orElse(-1));
      }
      List<MemberProcess> asked = new ArrayList<>(members);
      if (zooKeeper != null) {
        asked.add(zooKeeper.process);
      }
      List<Long> heap = new ArrayList<>();
      List<Long> threads = new ArrayList<>();
      for (MemberProcess m : asked) {
        long sent = System.currentTimeMillis();
        m.send("stats");
        ProcessEvent stats = m.awaitEvent("stats", e -> e.wallMillis() >= sent, STATS_WAIT);
        heap.add(Long.parseLong(stats.require("heap-bytes")));
        threads.add(Long.parseLong(stats.require("threads")));
      }
      int n = members.size();
      IdleCost.Server server =
          zooKeeper == null
              ? IdleCost.Server.NONE
              : new IdleCost.Server(
                  List.of(cpu.get(n)), List.of(heap.get(n)), List.of(osThreads.get(n)));
      IdleCost cost =
          new IdleCost(
              contender,
              Math.round(seconds),
              cpu.subList(0, n),
              heap.subList(0, n),
              threads.subList(0, n),
              osThreads.subList(0, n),
              server);
      report.idle.put(contender, cost);
      out.printf(
          Locale.ROOT,
          "%s idle %d s: CPU %% %s, heap bytes %s, JVM threads %s, OS threads %s%s%n",
          contender.id(),
          cost.seconds(),
          cost.cpuPercent().stream().map(c -> String.format(Locale.ROOT, "%.2f", c)).toList(),
          cost.heapBytes(),
          cost.jvmThreads(),
          cost.osThreads(),
          zooKeeper == null ? "" : "; ZooKeeper server " + server);
    }
  }

  private static void parkUntil(long wallMillis) {
    long left;
    while ((left = wallMillis - System.currentTimeMillis()) > 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
    }
  }

  // ---------------------------------------------------------------- ZooKeeper

  /** One ZooKeeper server JVM for all rings of a Curator contender, with a launcher of its own. */
  private static final class ZooKeeper implements AutoCloseable {
    private final ProcessLauncher launcher;
    private final MemberProcess process;
    private final int port;
    private final String ready;

    ZooKeeper(String classpath, Path logs, Path data) {
      this.port = FreePorts.block(1);
      this.launcher =
          ProcessLauncher.builder()
              .classpath(classpath)
              .maxLifetime(Duration.ofMinutes(30))
              .addJvmOptions("-Dzookeeper.admin.enableServer=false")
              .logDirectory(logs)
              .build();
      this.process =
          launcher.start(
              "zookeeper",
              ZooKeeperServer.class.getName(),
              List.of("--port", Integer.toString(port), "--data", data.toString()));
      this.ready = process.awaitEvent("ready", Duration.ofSeconds(60)).raw();
    }

    String describe() {
      ProcessEvent e = ProcessEvent.parse(ready).orElseThrow();
      return "one ZooKeeper server JVM (curator-test TestingServer, tickTime "
          + ZooKeeperServer.TICK_MILLIS
          + " ms, sessions "
          + e.require("min-session-ms")
          + " to "
          + e.require("max-session-ms")
          + " ms) for all its rings";
    }

    @Override
    public void close() {
      process.closeGracefully(Duration.ofSeconds(10));
      launcher.close();
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
