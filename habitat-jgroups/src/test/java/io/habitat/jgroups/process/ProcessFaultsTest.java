package io.habitat.jgroups.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.jgroups.process.FencedRing.Failover;
import io.habitat.jgroups.process.FencedRing.Fault;
import io.habitat.jgroups.process.FencedRing.Stable;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real process faults on a ring of three member JVMs ({@link FencedLeaderMain}) over JGroups on
 * 127.0.0.1, whose leader keeps writing to a {@link io.habitat.test.process.FencedLog} with its
 * term. Two cycles of each fault on the leader; after each, the safety properties of {@link
 * FencedRing#violations()}: at most one leader per term (from every member's {@code elected}
 * events, restarted ones included), the log's terms never go back, each term's records come from
 * the one member elected in it. Nothing about how long anything takes is asserted; every wait is
 * bounded by {@link FencedRing#WAIT}.
 */
class ProcessFaultsTest {

  private static final Duration LIFETIME = Duration.ofMinutes(3);
  private static final int CYCLES = 2;

  /**
   * {@code kill -9} of the leader: the survivors elect a new leader in a higher term, and the
   * killed member, restarted on its data directory, rejoins as a follower of that leader.
   */
  @Test
  void killedLeaderIsReplacedInAHigherTermAndRejoinsAsAFollower(@TempDir Path dir) {
    try (FencedRing ring = FencedRing.start(dir, LIFETIME)) {
      Stable stable = ring.awaitStable(0);
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        Failover failover = ring.cycle(stable, Fault.KILL);
        System.out.println(failover);
        ring.assertSafe();
        assertThat(failover.newTerm()).isGreaterThan(stable.term());
        assertThat(failover.newLeader()).isNotEqualTo(failover.oldLeader());

        Stable next = ring.awaitStable(stable.term());
        // Usually the new leader in the new term; a busy machine may cost it its lease and
        // elect again, which is not a safety matter. Terms never go back.
        assertThat(next.term()).isGreaterThanOrEqualTo(failover.newTerm());
        ring.checkRejoinedAsFollower(failover.oldLeader(), next, stable.term());
        ring.assertSafe();
        stable = next;
      }
    }
  }

  /**
   * {@code kill -STOP} of the leader until the others have elected a new one, then {@code SIGCONT}:
   * the old leader reports its term revoked, gets no record into the log after it resumed (its
   * writer checks {@code isLeader()}, which is false at once; the only exception, an append that
   * held the log's lock at the freeze, lands before the new term's records), a write with its old
   * term is rejected by the log, and it follows the new leader.
   */
  @Test
  void frozenLeaderResumesRevokedAndIsFencedOffByTheLog(@TempDir Path dir) {
    try (FencedRing ring = FencedRing.start(dir, LIFETIME)) {
      Stable stable = ring.awaitStable(0);
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        Failover failover = ring.cycle(stable, Fault.STOP);
        System.out.println(failover);
        ring.assertSafe();
        assertThat(failover.newTerm()).isGreaterThan(stable.term());
        assertThat(failover.newLeader()).isNotEqualTo(failover.oldLeader());
        assertThat(failover.staleWriteRejected()).isTrue();

        Stable next = ring.awaitStable(stable.term());
        // Usually the new leader in the new term; a busy machine may cost it its lease and
        // elect again, which is not a safety matter. Terms never go back.
        assertThat(next.term()).isGreaterThanOrEqualTo(failover.newTerm());
        ring.checkRejoinedAsFollower(failover.oldLeader(), next, stable.term());
        ring.assertSafe();
        stable = next;
      }
      assertThat(ring.rejectedWrites()).isGreaterThanOrEqualTo(CYCLES);
    }
  }

  /**
   * A graceful close of the leader: it reports its term revoked (its writer stopped) and exits with
   * 0, a new leader is elected in a higher term, and the member, restarted, rejoins as a follower
   * and a voter.
   */
  @Test
  void leaderClosedGracefullyIsReplacedAndRejoinsAsAFollower(@TempDir Path dir) {
    try (FencedRing ring = FencedRing.start(dir, LIFETIME)) {
      Stable stable = ring.awaitStable(0);
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        Failover failover = ring.cycle(stable, Fault.CLOSE);
        System.out.println(failover);
        ring.assertSafe();
        assertThat(failover.newTerm()).isGreaterThan(stable.term());
        assertThat(failover.newLeader()).isNotEqualTo(failover.oldLeader());

        Stable next = ring.awaitStable(stable.term());
        // Usually the new leader in the new term; a busy machine may cost it its lease and
        // elect again, which is not a safety matter. Terms never go back.
        assertThat(next.term()).isGreaterThanOrEqualTo(failover.newTerm());
        ring.checkRejoinedAsFollower(failover.oldLeader(), next, stable.term());
        ring.assertSafe();
        stable = next;
      }
    }
  }
}
