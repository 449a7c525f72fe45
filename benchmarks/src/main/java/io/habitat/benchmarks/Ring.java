package io.habitat.benchmarks;

import io.habitat.test.process.FreePorts;
import io.habitat.test.process.MemberProcess;
import io.habitat.test.process.OutputLine;
import io.habitat.test.process.ProcessEvent;
import io.habitat.test.process.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Three (or more) {@link BenchmarkMember} JVMs of one ring on 127.0.0.1, on a port block and ring
 * name of their own, with their own launcher: {@link #close} kills whatever is still running.
 */
final class Ring implements AutoCloseable {

  /** How long any one step may take before the run is reported as failed. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private static final int PORTS = 10;

  private final ProcessLauncher launcher;
  private final Settings settings;
  private final Path dataRoot;
  private final int basePort;
  private final String ringName;
  private final List<MemberProcess> members = new ArrayList<>();

  /** What every member of every ring gets. */
  record Settings(String classpath, List<String> memberOptions, List<String> jvmOptions) {}

  Ring(Settings settings, Path logDirectory, Path dataRoot) {
    this.settings = settings;
    this.dataRoot = dataRoot;
    this.basePort = FreePorts.block(PORTS);
    this.ringName = "bench-" + basePort;
    this.launcher =
        ProcessLauncher.builder()
            .classpath(settings.classpath())
            .maxLifetime(Duration.ofMinutes(2))
            .addJvmOptions(settings.jvmOptions().toArray(new String[0]))
            .logDirectory(logDirectory)
            .build();
  }

  /** Starts a member JVM named {@code name} (m1, m2, ...: the greatest name ranks highest). */
  MemberProcess start(String name) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--name",
            name,
            "--ring",
            ringName,
            "--port",
            Integer.toString(basePort),
            "--ports",
            Integer.toString(PORTS),
            "--data",
            dataRoot.resolve(name).toString()));
    args.addAll(settings.memberOptions());
    MemberProcess member = launcher.start(name, BenchmarkMember.class.getName(), args);
    members.add(member);
    return member;
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

  /** Each given member's events so far, by name, in the given order. */
  static Map<String, List<ProcessEvent>> histories(List<MemberProcess> of) {
    Map<String, List<ProcessEvent>> h = new LinkedHashMap<>();
    for (MemberProcess m : of) {
      h.put(m.name(), m.events());
    }
    return h;
  }

  /**
   * Waits until the given members agree on a leader (see {@link Histories#agreement}) and returns
   * it.
   */
  Histories.Leader awaitAgreement(
      List<MemberProcess> of, long aboveTerm, Set<String> excluded, boolean allAlive)
      throws BenchmarkFailure {
    return await(
        "agreement of " + names(of) + " on a leader above term " + aboveTerm,
        () -> Histories.agreement(histories(of), aboveTerm, excluded, allAlive));
  }

  /** Polls (every 2 ms) until the supplier has a value; the members' clocks time the events. */
  <T> T await(String what, Supplier<Optional<T>> value) throws BenchmarkFailure {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Optional<T> v = value.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new BenchmarkFailure(
            "no " + what + " within " + WAIT + "; " + describe() + "; logs in " + logDirectory());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  Path logDirectory() {
    return launcher.logDirectory();
  }

  /** The latest census of each member, for failure messages. */
  String describe() {
    return members.stream()
        .map(
            m -> {
              List<ProcessEvent> events = m.events();
              String census = "no census";
              for (int i = events.size() - 1; i >= 0; i--) {
                if (events.get(i).type().equals("census")) {
                  census = events.get(i).raw();
                  break;
                }
              }
              return m.name() + (m.isAlive() ? "" : " (exited)") + ": " + census;
            })
        .collect(Collectors.joining("; "));
  }

  private static String names(List<MemberProcess> of) {
    return of.stream().map(MemberProcess::name).collect(Collectors.joining(","));
  }

  /** Kills what still runs, then writes each member's output next to its log file. */
  @Override
  public void close() {
    closeAndSaveOutputs(launcher, members);
  }

  /**
   * Kills what still runs of {@code launcher}, then writes each member's output next to its log
   * file; shared with {@link ContenderRing}.
   */
  static void closeAndSaveOutputs(ProcessLauncher launcher, List<MemberProcess> members) {
    launcher.close();
    for (MemberProcess m : members) {
      Path events = launcher.logDirectory().resolve(m.name() + ".events");
      try {
        Files.write(events, m.lines().stream().map(OutputLine::text).toList());
      } catch (IOException e) {
        System.err.println("could not write " + events + ": " + e);
      }
    }
  }

  /** A run did not go as expected; the message says what happened. */
  static final class BenchmarkFailure extends Exception {
    private static final long serialVersionUID = 1L;

    BenchmarkFailure(String message) {
      super(message);
    }
  }
}
