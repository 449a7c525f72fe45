package io.habitat.samples.quickstart;

import io.habitat.test.process.FreePorts;
import io.habitat.test.process.MemberProcess;
import io.habitat.test.process.ProcessEvent;
import io.habitat.test.process.ProcessLauncher;
import io.habitat.test.process.ProcessTimeoutException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The demo of the README: three {@link MemberMain} JVMs on 127.0.0.1 elect a leader over JGroups;
 * the leader is killed with {@code kill -9}; the two survivors elect a new one in a higher term. It
 * prints the members' roles before and after, the failover time (from the kill to the new leader's
 * {@code elected} event, by the wall clock of this machine) and ends with one line:
 *
 * <pre>
 * demo: members=3 failover-ms=&lt;ms&gt; leader=&lt;member id&gt; term=&lt;term&gt;
 * </pre>
 *
 * <p>Exits with 0 on success, 1 with the reason on standard error otherwise. Every wait is bounded
 * ({@link #WAIT}); every member JVM is stopped before it exits.
 */
public final class RingDemo {

  /** How long each step may take at most. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private static final int MEMBERS = 3;
  private static final int PORTS = 10;
  private static final Duration SLICE = Duration.ofMillis(200);

  private RingDemo() {}

  /** Runs the demo; see the class comment. */
  public static void main(String[] args) {
    int status;
    try {
      Outcome outcome = run(System.out);
      System.out.printf(
          Locale.ROOT,
          "demo: members=%d failover-ms=%d leader=%s term=%d%n",
          MEMBERS,
          outcome.failoverMillis(),
          outcome.leader(),
          outcome.term());
      status = 0;
    } catch (DemoFailure | RuntimeException e) {
      System.out.flush();
      System.err.println("demo failed: " + e.getMessage());
      if (!(e instanceof DemoFailure)) {
        e.printStackTrace();
      }
      status = 1;
    }
    System.exit(status);
  }

  /** The result: the failover time, and the leader and term the survivors agreed on. */
  record Outcome(long failoverMillis, String leader, long term) {}

  /** The demo did not go as expected; the message says what happened. */
  static final class DemoFailure extends Exception {
    private static final long serialVersionUID = 1L;

    DemoFailure(String message) {
      super(message);
    }
  }

  /** The leader and term all of a set of members report in their latest census. */
  record Agreement(String leader, long term) {}

  static Outcome run(PrintStream out) throws DemoFailure {
    Path dataRoot;
    try {
      dataRoot = Files.createTempDirectory("habitat-demo-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    int base = FreePorts.block(PORTS);
    String ring = "demo-" + base;
    try (ProcessLauncher launcher =
        ProcessLauncher.builder().maxLifetime(Duration.ofMinutes(3)).build()) {
      out.printf(
          Locale.ROOT,
          "starting %d members on 127.0.0.1 ports %d..%d, ring %s (member logs in %s)%n",
          MEMBERS,
          base,
          base + PORTS - 1,
          ring,
          launcher.logDirectory());
      try {
        return run(out, launcher, dataRoot, ring, base);
      } catch (ProcessTimeoutException e) {
        throw new DemoFailure(e.getMessage() + " (member logs in " + launcher.logDirectory() + ")");
      } catch (DemoFailure e) {
        throw new DemoFailure(e.getMessage() + " (member logs in " + launcher.logDirectory() + ")");
      }
    } finally {
      deleteQuietly(dataRoot);
    }
  }

  private static Outcome run(
      PrintStream out, ProcessLauncher launcher, Path dataRoot, String ring, int base)
      throws DemoFailure {
    List<MemberProcess> members = new ArrayList<>();
    for (int i = 1; i <= MEMBERS; i++) {
      String name = "m" + i;
      Path data = dataRoot.resolve(name);
      members.add(
          launcher.start(
              name,
              MemberMain.class.getName(),
              List.of(
                  "--name",
                  name,
                  "--ring",
                  ring,
                  "--port",
                  Integer.toString(base),
                  "--ports",
                  Integer.toString(PORTS),
                  "--data",
                  data.toString(),
                  "--group",
                  "demo.default",
                  "--bootstrap",
                  "2")));
    }
    for (MemberProcess member : members) {
      member.awaitEvent("started", WAIT);
    }

    // Before the crash, wait until every member also counts all three as voters, so that the
    // two survivors are a majority of the voting membership.
    Agreement first = awaitAgreement(members, 0, null, true);
    out.println();
    out.printf(
        Locale.ROOT,
        "all %d members agree: leader %s, term %d%n",
        MEMBERS,
        first.leader(),
        first.term());
    printTable(out, members, null);

    MemberProcess leader = byName(members, first.leader());
    List<MemberProcess> survivors =
        members.stream().filter(m -> m != leader).collect(Collectors.toList());
    out.println();
    out.printf(Locale.ROOT, "kill -9 %s (pid %d)%n", leader.name(), leader.pid());
    long killedAt = System.currentTimeMillis();
    leader.kill();

    Agreement second = awaitAgreement(survivors, first.term(), leader.name(), false);
    MemberProcess newLeader = byName(survivors, second.leader());
    ProcessEvent elected = newLeader.awaitEvent("elected", e -> term(e) > first.term(), WAIT);
    long failover = elected.wallMillis() - killedAt;
    out.printf(
        Locale.ROOT,
        "the survivors agree: leader %s, term %d; elected %d ms after the kill%n",
        second.leader(),
        second.term(),
        failover);
    printTable(out, members, leader);

    out.println();
    for (MemberProcess survivor : survivors) {
      int code = survivor.closeGracefully(WAIT);
      out.printf(Locale.ROOT, "closed %s gracefully (exit code %d)%n", survivor.name(), code);
      if (code != 0) {
        throw new DemoFailure(
            "member " + survivor.name() + " exited with " + code + " on close, expected 0");
      }
    }
    return new Outcome(failover, second.leader(), second.term());
  }

  /**
   * Waits until every member's latest census names the same leader (one of them, other than {@code
   * excluded}) in the same term above {@code aboveTerm}, and, if {@code allVoters}, lists every one
   * of them as a voter.
   */
  private static Agreement awaitAgreement(
      List<MemberProcess> members, long aboveTerm, @Nullable String excluded, boolean allVoters)
      throws DemoFailure {
    long deadline = System.nanoTime() + WAIT.toNanos();
    int next = 0;
    while (true) {
      Optional<Agreement> agreement = agreement(members, aboveTerm, excluded, allVoters);
      if (agreement.isPresent()) {
        return agreement.get();
      }
      for (MemberProcess member : members) {
        if (!member.isAlive()) {
          throw new DemoFailure(
              "member "
                  + member.name()
                  + " exited before the members agreed on a leader; "
                  + describe(members));
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new DemoFailure(
            "the members did not agree on a leader within " + WAIT + "; " + describe(members));
      }
      // Block until the next census of one member, one member at a time, a slice each.
      MemberProcess member = members.get(next++ % members.size());
      int seen = censuses(member).size();
      int[] count = {0};
      try {
        member.awaitEvent(
            "census", e -> count[0]++ >= seen, Duration.ofNanos(Math.min(left, SLICE.toNanos())));
      } catch (ProcessTimeoutException e) {
        // no new census from this member within the slice; look again
      }
    }
  }

  private static Optional<Agreement> agreement(
      List<MemberProcess> members, long aboveTerm, @Nullable String excluded, boolean allVoters) {
    Agreement common = null;
    for (MemberProcess member : members) {
      Optional<ProcessEvent> census = latestCensus(member);
      if (census.isEmpty()) {
        return Optional.empty();
      }
      if (allVoters) {
        List<String> voters = List.of(census.get().require("voters").split(","));
        if (!members.stream().allMatch(m -> voters.contains(m.name()))) {
          return Optional.empty();
        }
      }
      Agreement seen = new Agreement(census.get().require("leader"), term(census.get()));
      if (common == null) {
        common = seen;
      } else if (!common.equals(seen)) {
        return Optional.empty();
      }
    }
    if (common == null || common.term() <= aboveTerm || common.leader().equals(excluded)) {
      return Optional.empty();
    }
    String leader = common.leader();
    if (members.stream().noneMatch(m -> m.name().equals(leader))) {
      return Optional.empty();
    }
    return Optional.of(common);
  }

  private static void printTable(
      PrintStream out, List<MemberProcess> members, @Nullable MemberProcess killed) {
    out.printf(Locale.ROOT, "  %-8s %-10s %s%n", "member", "role", "term");
    for (MemberProcess member : members) {
      if (member == killed) {
        out.printf(Locale.ROOT, "  %-8s %-10s %s%n", member.name(), "killed", "-");
        continue;
      }
      Optional<ProcessEvent> census = latestCensus(member);
      out.printf(
          Locale.ROOT,
          "  %-8s %-10s %s%n",
          member.name(),
          census.map(e -> e.field("role").orElse("?")).orElse("?"),
          census.map(e -> e.require("term")).orElse("-"));
    }
  }

  private static String describe(List<MemberProcess> members) {
    return "latest census of each member: "
        + members.stream()
            .map(
                m ->
                    m.name()
                        + (m.isAlive() ? "" : " (exited)")
                        + ": "
                        + latestCensus(m).map(ProcessEvent::raw).orElse("none"))
            .collect(Collectors.joining("; "));
  }

  private static List<ProcessEvent> censuses(MemberProcess member) {
    return member.events().stream()
        .filter(e -> e.type().equals("census"))
        .collect(Collectors.toList());
  }

  private static Optional<ProcessEvent> latestCensus(MemberProcess member) {
    List<ProcessEvent> all = censuses(member);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  private static long term(ProcessEvent event) {
    return Long.parseLong(event.require("term"));
  }

  private static MemberProcess byName(List<MemberProcess> members, String name) throws DemoFailure {
    for (MemberProcess member : members) {
      if (member.name().equals(name)) {
        return member;
      }
    }
    throw new DemoFailure("no member named " + name);
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
