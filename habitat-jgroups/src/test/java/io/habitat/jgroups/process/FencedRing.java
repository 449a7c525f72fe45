package io.habitat.jgroups.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.habitat.test.process.FencedLog;
import io.habitat.test.process.FreePorts;
import io.habitat.test.process.MemberProcess;
import io.habitat.test.process.ProcessEvent;
import io.habitat.test.process.ProcessLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Three {@link FencedLeaderMain} members as separate JVMs on one loopback ring, sharing one {@link
 * FencedLog}, and the faults the tests inject into its leader: {@code kill -9} and a restart on the
 * same data directory, {@code kill -STOP} until the others have a new leader and then {@code
 * SIGCONT}, a graceful close and a restart.
 *
 * <p>Every wait is bounded by {@link #WAIT}; nothing here measures time except the failover time it
 * reports (from the fault to the new leader's {@code elected} event), which no test asserts. The
 * checks are safety properties only: at most one leader per term, the log's terms never go back and
 * each term has one writer that was elected in it, and a leader that resumes after a freeze gets no
 * record into the log.
 */
final class FencedRing implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final List<String> NAMES = List.of("m1", "m2", "m3");
  private static final int PORTS = 10;

  /**
   * A member's suitability is this minus its incarnation: a restarted member ranks below those that
   * were not, so that leadership moves around all three members rather than between the two
   * highest-ranked ones.
   */
  private static final long SUITABILITY = 100;

  /** The fault injected into the leader in one cycle. */
  enum Fault {
    /** {@code kill -9}, then a restart on the same data directory. */
    KILL,
    /** {@code kill -STOP} until the others elect a new leader, then {@code kill -CONT}. */
    STOP,
    /** A graceful close (the leader hands off), then a restart on the same data directory. */
    CLOSE
  }

  /** The leader and term all the given members agree on. */
  record Stable(String leader, long term) {}

  /**
   * One fault and its outcome.
   *
   * @param failoverMillis from the fault to the new leader's {@code elected} event (child's clock,
   *     same machine)
   * @param staleWriteRejected for {@link Fault#STOP}: whether the resumed leader's write with its
   *     old term was rejected
   */
  record Failover(
      Fault fault,
      String oldLeader,
      long oldTerm,
      String newLeader,
      long newTerm,
      long failoverMillis,
      boolean staleWriteRejected) {}

  private final ProcessLauncher launcher;
  private final Path dataRoot;
  private final Path log;
  private final int basePort;
  private final String ring;
  private final Map<String, MemberProcess> current = new LinkedHashMap<>();
  private final Map<String, Integer> incarnations = new HashMap<>();
  private final List<String> violations = new ArrayList<>();

  private FencedRing(ProcessLauncher launcher, Path dataRoot) {
    this.launcher = launcher;
    this.dataRoot = dataRoot;
    this.log = dataRoot.resolve("fenced.log");
    this.basePort = FreePorts.block(PORTS);
    this.ring = "fenced-" + basePort;
  }

  /**
   * Starts the three members, each with its own data directory under {@code dataRoot}, and their
   * stderr logs in {@code dataRoot/logs}.
   */
  static FencedRing start(Path dataRoot, Duration maxLifetime) {
    return start(dataRoot, dataRoot.resolve("logs"), maxLifetime);
  }

  /** Starts the three members, with their stderr logs in {@code logDirectory}. */
  static FencedRing start(Path dataRoot, Path logDirectory, Duration maxLifetime) {
    URL logging =
        Objects.requireNonNull(FencedRing.class.getResource("/logback-child.xml"), "logback");
    Path loggingFile;
    try {
      loggingFile = Path.of(logging.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    ProcessLauncher launcher =
        ProcessLauncher.builder()
            .maxLifetime(maxLifetime)
            .logDirectory(logDirectory)
            .addJvmOptions("-Dlogback.configurationFile=" + loggingFile)
            .build();
    FencedRing ring = new FencedRing(launcher, dataRoot);
    try {
      for (String name : NAMES) {
        ring.launch(name);
      }
      for (String name : NAMES) {
        ring.process(name).awaitEvent("started", WAIT);
      }
    } catch (RuntimeException e) {
      launcher.close();
      throw e;
    }
    return ring;
  }

  /** The shared log. */
  Path log() {
    return log;
  }

  /** Where the members' stderr logs are. */
  Path logDirectory() {
    return launcher.logDirectory();
  }

  /**
   * Waits until all three members agree on a leader of a term above {@code aboveTerm}, each counts
   * all three as voters, and the leader's writer has a record of that term in the log.
   */
  Stable awaitStable(long aboveTerm) {
    List<MemberProcess> all = List.copyOf(current.values());
    Stable stable =
        await("three members agree on a leader above term " + aboveTerm + " that writes")
            .atMost(WAIT)
            .until(() -> agreement(all, aboveTerm, true), Optional::isPresent)
            .orElseThrow();
    process(stable.leader()).awaitEvent("first-write", e -> term(e) == stable.term(), WAIT);
    return stable;
  }

  /**
   * Injects the fault into the leader of {@code before}, waits for the others to elect a new leader
   * in a higher term, brings the old leader back (restart or resume), and returns what happened.
   * The caller then waits for {@link #awaitStable} above the new term.
   */
  Failover cycle(Stable before, Fault fault) {
    MemberProcess leader = process(before.leader());
    List<MemberProcess> survivors = new ArrayList<>(current.values());
    survivors.remove(leader);
    long faultAt = System.currentTimeMillis();
    boolean inFlight = false;
    long recordsAtFreeze = 0;
    long attemptsAtFreeze = 0;
    switch (fault) {
      case KILL -> leader.kill();
      case STOP -> {
        leader.freeze();
        // A writer frozen while it held the log's lock finishes that one append when it resumes
        // (and the new leader cannot write before): the only record it may still add.
        inFlight = lockHeldByAnotherProcess();
        recordsAtFreeze = records(before.leader(), before.term());
        attemptsAtFreeze = recordsAtFreeze + rejections(before.leader(), before.term());
      }
      case CLOSE -> {
        int exit = leader.closeGracefully(WAIT);
        check(exit == 0, () -> leader.name() + " closed gracefully with exit code " + exit);
        check(
            hasEvent(leader, "revoked", before.term()),
            () -> leader.name() + " closed without reporting revoked term " + before.term());
      }
    }
    Stable after =
        await("the survivors of " + leader.name() + " agree on a new leader above " + before.term())
            .atMost(WAIT)
            .until(() -> agreement(survivors, before.term(), false), Optional::isPresent)
            .orElseThrow();
    MemberProcess newLeader = process(after.leader());
    ProcessEvent elected = newLeader.awaitEvent("elected", e -> term(e) == after.term(), WAIT);
    long failoverMillis = elected.wallMillis() - faultAt;
    if (!inFlight) {
      // Otherwise the frozen leader holds the log's lock: the new leader writes once it resumes.
      newLeader.awaitEvent("first-write", e -> term(e) == after.term(), WAIT);
    }

    boolean staleRejected = false;
    switch (fault) {
      case KILL, CLOSE -> launch(before.leader());
      case STOP -> {
        leader.resume();
        newLeader.awaitEvent("first-write", e -> term(e) == after.term(), WAIT);
        leader.awaitEvent("revoked", e -> term(e) == before.term(), WAIT);
        ProcessEvent stopped =
            leader.awaitEvent("writer-stopped", e -> term(e) == before.term(), WAIT);
        long records = records(before.leader(), before.term());
        long atFreeze = recordsAtFreeze;
        boolean appending = inFlight;
        check(
            records <= atFreeze + (appending ? 1 : 0),
            () ->
                leader.name()
                    + " resumed and got records of term "
                    + before.term()
                    + " into the log: "
                    + records
                    + ", at the freeze "
                    + atFreeze
                    + (appending ? " and one append in flight" : ""));
        check(
            Long.parseLong(stopped.require("accepted")) == records,
            () ->
                leader.name()
                    + "'s writer of term "
                    + before.term()
                    + " reports "
                    + stopped.require("accepted")
                    + " accepted records, the log holds "
                    + records);
        // isLeader() is false the moment the leader wakes: its writer makes no new attempt. The
        // one it may make was in flight at the freeze (past its isLeader() check).
        long attemptsAfter =
            Long.parseLong(stopped.require("accepted"))
                + Long.parseLong(stopped.require("rejected"))
                - attemptsAtFreeze;
        check(
            attemptsAfter <= 1,
            () ->
                leader.name()
                    + " resumed and its writer of term "
                    + before.term()
                    + " made "
                    + attemptsAfter
                    + " appends; at most the one in flight at the freeze was expected");
        // A write with the old term that does not check isLeader() (work in flight): refused.
        leader.send("stale-write");
        ProcessEvent stale = leader.awaitEvent("stale-write", e -> term(e) == before.term(), WAIT);
        staleRejected = stale.require("accepted").equals("false");
        check(
            stale.require("accepted").equals("false")
                && Long.parseLong(stale.require("highest")) >= after.term(),
            () ->
                "the stale write of "
                    + leader.name()
                    + " after term "
                    + after.term()
                    + ": "
                    + stale);
      }
    }
    return new Failover(
        fault,
        before.leader(),
        before.term(),
        after.leader(),
        after.term(),
        failoverMillis,
        staleRejected);
  }

  /**
   * Checks that the members that came back in the last cycle follow {@code stable}'s leader: none
   * of them was elected in a term above {@code sinceTerm}.
   */
  void checkRejoinedAsFollower(String member, Stable stable, long sinceTerm) {
    MemberProcess process = process(member);
    check(
        !member.equals(stable.leader()),
        () -> member + " came back and leads term " + stable.term());
    for (ProcessEvent event : process.events()) {
      check(
          !event.type().equals("elected") || term(event) <= sinceTerm,
          () -> member + " came back and was elected: " + event);
    }
  }

  /** Terms in which more than one member was elected, or the log holds more than one writer. */
  int twoLeaderIncidents() {
    Set<Long> terms = new HashSet<>();
    electedByTerm()
        .forEach(
            (term, who) -> {
              if (who.size() > 1) {
                terms.add(term);
              }
            });
    writersByTerm()
        .forEach(
            (term, who) -> {
              if (who.size() > 1) {
                terms.add(term);
              }
            });
    return terms.size();
  }

  /** Every safety property that does not hold, described; empty if all hold. */
  List<String> violations() {
    List<String> found = new ArrayList<>(violations);
    Map<Long, List<String>> elected = electedByTerm();
    elected.forEach(
        (term, who) -> {
          if (who.size() > 1) {
            found.add("term " + term + " was won by " + who);
          }
        });
    List<FencedLog.Entry> entries = FencedLog.entries(log);
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).term() < entries.get(i - 1).term()) {
        found.add(
            "the log's terms go back at record "
                + i
                + ": "
                + entries.get(i - 1)
                + ", "
                + entries.get(i));
      }
    }
    writersByTerm()
        .forEach(
            (term, writers) -> {
              if (writers.size() > 1) {
                found.add("term " + term + " has records of " + writers);
              }
              for (String writer : writers) {
                if (!elected.getOrDefault(term, List.of()).contains(writer)) {
                  found.add(
                      writer + " wrote records of term " + term + " but was not elected in it");
                }
              }
            });
    for (FencedLog.Rejection rejection : FencedLog.rejections(log)) {
      if (rejection.term() >= rejection.highestTerm()) {
        found.add("a write was rejected though its term was not lower: " + rejection);
      }
    }
    return found;
  }

  /** How many {@code elected} events all member processes reported. */
  int elections() {
    return electedByTerm().values().stream().mapToInt(List::size).sum();
  }

  /** Rejected appends recorded beside the log. */
  int rejectedWrites() {
    return FencedLog.rejections(log).size();
  }

  /** Kills every member still running (by PID) and waits for them. */
  @Override
  public void close() {
    launcher.close();
  }

  // ------------------------------------------------------------------ internals

  private void launch(String name) {
    int incarnation = incarnations.merge(name, 1, Integer::sum);
    MemberProcess process =
        launcher.start(
            incarnation == 1 ? name : name + "." + incarnation,
            FencedLeaderMain.class.getName(),
            List.of(
                name,
                ring,
                Integer.toString(basePort),
                Integer.toString(PORTS),
                dataRoot.resolve(name).toString(),
                log.toString(),
                Long.toString(SUITABILITY - incarnation)));
    current.put(name, process);
  }

  /** The members that reported {@code elected} in each term, from every process ever started. */
  Map<Long, List<String>> electedByTerm() {
    Map<Long, List<String>> byTerm = new TreeMap<>();
    for (MemberProcess process : launcher.processes()) {
      for (ProcessEvent event : process.events()) {
        if (event.type().equals("elected")) {
          byTerm.computeIfAbsent(term(event), t -> new ArrayList<>()).add(event.require("member"));
        }
      }
    }
    return byTerm;
  }

  private Map<Long, Set<String>> writersByTerm() {
    Map<Long, Set<String>> byTerm = new TreeMap<>();
    for (FencedLog.Entry entry : FencedLog.entries(log)) {
      byTerm.computeIfAbsent(entry.term(), t -> new HashSet<>()).add(entry.writer());
    }
    return byTerm;
  }

  private long records(String writer, long term) {
    return FencedLog.entries(log).stream()
        .filter(e -> e.writer().equals(writer) && e.term() == term)
        .count();
  }

  private long rejections(String writer, long term) {
    return FencedLog.rejections(log).stream()
        .filter(r -> r.writer().equals(writer) && r.term() == term)
        .count();
  }

  private boolean lockHeldByAnotherProcess() {
    try (FileChannel channel =
        FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Stable> agreement(
      List<MemberProcess> members, long aboveTerm, boolean allVoters) {
    Set<Stable> seen = new HashSet<>();
    for (MemberProcess member : members) {
      @Nullable ProcessEvent census = latest(member, "census");
      if (census == null) {
        return Optional.empty();
      }
      if (allVoters) {
        List<String> voters = List.of(census.require("voters").split(","));
        if (!voters.containsAll(NAMES)) {
          return Optional.empty();
        }
      }
      seen.add(new Stable(census.require("leader"), term(census)));
    }
    if (seen.size() != 1) {
      return Optional.empty();
    }
    Stable stable = seen.iterator().next();
    boolean leaderIsMember = members.stream().anyMatch(m -> memberName(m).equals(stable.leader()));
    return leaderIsMember && stable.term() > aboveTerm ? Optional.of(stable) : Optional.empty();
  }

  private static @Nullable ProcessEvent latest(MemberProcess process, String type) {
    ProcessEvent latest = null;
    for (ProcessEvent event : process.events()) {
      if (event.type().equals(type)) {
        latest = event;
      }
    }
    return latest;
  }

  private static boolean hasEvent(MemberProcess process, String type, long term) {
    return process.events().stream().anyMatch(e -> e.type().equals(type) && term(e) == term);
  }

  /** The member a process runs: its process name up to the incarnation suffix. */
  private static String memberName(MemberProcess process) {
    String name = process.name();
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  static long term(ProcessEvent event) {
    return Long.parseLong(event.require("term"));
  }

  private void check(boolean ok, Supplier<String> violation) {
    if (!ok) {
      violations.add(violation.get());
    }
  }

  /** The member's current process. */
  private MemberProcess process(String member) {
    MemberProcess process = current.get(member);
    if (process == null) {
      throw new IllegalArgumentException("no member named " + member);
    }
    return process;
  }

  /** Asserts that no safety property was violated so far. */
  void assertSafe() {
    assertThat(violations()).as("safety violations (member logs in %s)", logDirectory()).isEmpty();
  }
}
