package io.habitat.jgroups.process;

import io.habitat.jgroups.process.FencedRing.Failover;
import io.habitat.jgroups.process.FencedRing.Fault;
import io.habitat.jgroups.process.FencedRing.Stable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of {@link ProcessFaultsTest}: one ring of three member JVMs through {@code
 * habitat.process.soak.cycles} faults on its leader (the {@code soak} profile sets 100), taking
 * turns: {@code kill -9} and restart, {@code kill -STOP} and {@code SIGCONT}, graceful close and
 * restart. It prints one line per cycle and then the summary
 *
 * <pre>
 * soak: cycles=N failovers=F max-failover-ms=M two-leader-incidents=I rejected-stale-writes=R
 * </pre>
 *
 * (also written to {@code target/process-soak.txt}, the members' logs to {@code
 * target/process-soak-logs}) and fails if any safety property of {@link FencedRing#violations()}
 * was broken. {@code failovers} counts every election after the first, so it exceeds the cycles if
 * a busy machine cost a leader its lease on top of the faults; the failover time runs from the
 * fault to the new leader's {@code elected} event and is reported, never asserted.
 *
 * <pre>
 * ./mvnw -B -o verify -Psoak -pl habitat-core,habitat-test,habitat-jgroups -am \
 *     -Dtest=ProcessFaultsSoakTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "habitat.process.soak.cycles", matches = "[1-9][0-9]*")
class ProcessFaultsSoakTest {

  private static final List<Fault> MIX = List.of(Fault.KILL, Fault.STOP, Fault.CLOSE);

  @Test
  void leaderFaultsInTurnsKeepOneLeaderPerTermAndTheLogFenced(@TempDir Path dir) {
    int cycles = Integer.getInteger("habitat.process.soak.cycles", 0);
    // Survivors may live through the whole soak: a bound of well over a minute per cycle.
    Duration lifetime = Duration.ofMinutes(30L + 2L * cycles);
    Path logs = Path.of("target", "process-soak-logs");
    deleteLogs(logs);
    Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
    Set<Long> faultTerms = new HashSet<>();
    int done = 0;
    long maxFailoverMillis = 0;
    int staleWritesRejected = 0;
    try (FencedRing ring = FencedRing.start(dir, logs, lifetime)) {
      try {
        Stable stable = ring.awaitStable(0);
        faultTerms.add(stable.term());
        for (int cycle = 1; cycle <= cycles; cycle++) {
          Fault fault = MIX.get((cycle - 1) % MIX.size());
          Failover failover = ring.cycle(stable, fault);
          faults.merge(fault, 1, Integer::sum);
          faultTerms.add(failover.newTerm());
          maxFailoverMillis = Math.max(maxFailoverMillis, failover.failoverMillis());
          staleWritesRejected += failover.staleWriteRejected() ? 1 : 0;
          stable = ring.awaitStable(stable.term());
          done = cycle;
          System.out.printf(
              "soak: cycle %d/%d %s: %s term %d -> %s term %d, elected after %d ms%n",
              cycle,
              cycles,
              fault,
              failover.oldLeader(),
              failover.oldTerm(),
              failover.newLeader(),
              failover.newTerm(),
              failover.failoverMillis());
        }
      } finally {
        report(ring, done, faults, faultTerms, maxFailoverMillis, staleWritesRejected);
      }
      ring.assertSafe();
    }
  }

  private static void deleteLogs(Path logs) {
    if (!Files.isDirectory(logs)) {
      return;
    }
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void report(
      FencedRing ring,
      int cycles,
      Map<Fault, Integer> faults,
      Set<Long> faultTerms,
      long maxFailoverMillis,
      int staleWritesRejected) {
    // Elections that no fault asked for: a leader that lost its lease on a busy machine.
    Map<Long, List<String>> other = new TreeMap<>(ring.electedByTerm());
    other.keySet().removeAll(faultTerms);
    String details =
        String.format(
            "soak: faults %s; stale writes after SIGCONT rejected %d; elections without a fault"
                + " (term=[members]) %s; member logs in %s",
            faults, staleWritesRejected, other, ring.logDirectory().toAbsolutePath());
    String summary =
        String.format(
            "soak: cycles=%d failovers=%d max-failover-ms=%d two-leader-incidents=%d"
                + " rejected-stale-writes=%d",
            cycles,
            ring.elections() - 1,
            maxFailoverMillis,
            ring.twoLeaderIncidents(),
            ring.rejectedWrites());
    System.out.println(details);
    System.out.println(summary);
    try {
      Files.writeString(
          Path.of("target", "process-soak.txt"),
          details + System.lineSeparator() + summary + System.lineSeparator(),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
