package io.habitat.benchmarks;

import io.habitat.benchmarks.Ring.BenchmarkFailure;
import io.habitat.benchmarks.members.CuratorMember;
import io.habitat.benchmarks.members.JGroupsMember;
import io.habitat.test.process.FreePorts;
import io.habitat.test.process.MemberProcess;
import io.habitat.test.process.ProcessEvent;
import io.habitat.test.process.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Three member JVMs of one contender on 127.0.0.1, on ports, a ring name (or latch path) and data
 * directories of their own, started by a launcher of their own: {@link #close} kills whatever still
 * runs (by PID) and keeps each member's output next to its log. Each member lives at most {@link
 * #MAX_LIFETIME}. Confined to the benchmark's thread.
 */
final class ContenderRing implements AutoCloseable {

  /** How long a member JVM may live; it halts itself after that. */
  static final Duration MAX_LIFETIME = Duration.ofMinutes(4);

  /** The member names; the highest-ranked habitat member is m3. */
  static final List<String> NAMES = List.of("m1", "m2", "m3");

  private static final int PORTS = 10;

  private final Contender contender;
  private final ProcessLauncher launcher;
  private final Path dataRoot;
  private final int basePort;
  private final String ringName;
  private final int zooKeeperPort;
  private final List<MemberProcess> members = new ArrayList<>();

  ContenderRing(
      Contender contender, String classpath, Path logDirectory, Path dataRoot, int zooKeeperPort) {
    this.contender = contender;
    this.dataRoot = dataRoot;
    this.basePort = FreePorts.block(PORTS);
    this.ringName = "bench-" + contender.id() + "-" + basePort;
    this.zooKeeperPort = zooKeeperPort;
    this.launcher =
        ProcessLauncher.builder()
            .classpath(classpath)
            .maxLifetime(MAX_LIFETIME)
            .logDirectory(logDirectory)
            .build();
  }

  /** Starts the member {@code name} (one of {@link #NAMES}). */
  MemberProcess start(String name) {
    int index = NAMES.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("member name must be one of " + NAMES + ": " + name);
    }
    String data = dataRoot.resolve(name).toString();
    String port = Integer.toString(basePort);
    String ownPort = Integer.toString(basePort + index);
    List<String> args = new ArrayList<>(List.of("--name", name));
    String main;
    switch (contender) {
      case HABITAT -> {
        main = BenchmarkMember.class.getName();
        args.addAll(
            List.of("--ring", ringName, "--port", port, "--ports", "" + PORTS, "--data", data));
      }
      case JGROUPS, JGROUPS_TUNED -> {
        main = JGroupsMember.class.getName();
        args.addAll(
            List.of(
                "--ring",
                ringName,
                "--port",
                port,
                "--members",
                "" + NAMES.size(),
                "--own-port",
                ownPort,
                "--stack",
                contender == Contender.JGROUPS ? "stock" : "tuned"));
      }
      case CURATOR, CURATOR_5S -> {
        main = CuratorMember.class.getName();
        args.addAll(
            List.of("--connect", "127.0.0.1:" + zooKeeperPort, "--path", "/bench/" + ringName));
        if (contender == Contender.CURATOR_5S) {
          args.addAll(List.of("--session-ms", "5000"));
        }
      }
      case JGROUPS_RAFT -> {
        main = "io.habitat.benchmarks.raft.RaftMember";
        args.addAll(
            List.of(
                "--members",
                String.join(",", NAMES),
                "--ring",
                ringName,
                "--port",
                port,
                "--own-port",
                ownPort,
                "--data",
                data));
      }
      default -> throw new IllegalStateException("no member for " + contender);
    }
    MemberProcess member = launcher.start(name, main, args);
    members.add(member);
    return member;
  }

  /** Starts all three members, one right after the other. */
  void startAll() {
    for (String name : NAMES) {
      start(name);
    }
  }

  List<MemberProcess> members() {
    return List.copyOf(members);
  }

  MemberProcess named(String name) {
    for (MemberProcess m : members) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("no member " + name);
  }

  List<MemberProcess> others(MemberProcess member) {
    return members.stream().filter(m -> m != member).collect(Collectors.toList());
  }

  /** Each given member's events so far, by name. */
  static Map<String, List<ProcessEvent>> histories(List<MemberProcess> of) {
    Map<String, List<ProcessEvent>> h = new LinkedHashMap<>();
    for (MemberProcess m : of) {
      h.put(m.name(), m.events());
    }
    return h;
  }

  /** Polls (every 2 ms) until the supplier has a value or the wait is over. */
  <T> Optional<T> poll(Duration wait, Supplier<Optional<T>> value) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<T> v = value.get();
      if (v.isPresent() || System.nanoTime() - deadline > 0) {
        return v;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  /**
   * Polls until the supplier has a value.
   *
   * @throws BenchmarkFailure naming what did not happen, the members' latest events and the logs
   */
  <T> T await(String what, Duration wait, Supplier<Optional<T>> value) throws BenchmarkFailure {
    Optional<T> v = poll(wait, value);
    if (v.isEmpty()) {
      throw new BenchmarkFailure(
          "no " + what + " within " + wait + "; " + describe() + "; logs in " + logDirectory());
    }
    return v.get();
  }

  Path logDirectory() {
    return launcher.logDirectory();
  }

  /** Each member's latest leader event, for failure messages. */
  String describe() {
    return members.stream()
        .map(
            m ->
                m.name()
                    + (m.isAlive() ? "" : " (exited)")
                    + ": "
                    + Timeline.latest(m.events(), "leader")
                        .map(ProcessEvent::raw)
                        .orElse("no leader"))
        .collect(Collectors.joining("; "));
  }

  /** Kills what still runs, then writes each member's output next to its log file. */
  @Override
  public void close() {
    Ring.closeAndSaveOutputs(launcher, members);
  }
}
