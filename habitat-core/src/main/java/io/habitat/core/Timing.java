package io.habitat.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The protocol's timing, shared by every group of a supervisor. The defaults suit a LAN or one
 * machine: a frozen member is suspected after 400 ms and confirmed dead after 1.3 s, while a member
 * paused for up to one second (a long GC pause) costs no failover.
 *
 * <p>The bounds must nest: {@code heartbeatInterval < suspectAfter < leaderLease < confirmAfter}.
 * The leader lease is the check-quorum bound: a leader without acknowledgements from a majority
 * within it steps down; followers wait longer ({@code confirmAfter}) before they replace a silent
 * leader, so on a healthy clock the old leader has stepped down before a new one is elected.
 *
 * @param heartbeatInterval how often members send heartbeats in each group
 * @param suspectAfter silence after which a member is {@link MemberState#SUSPECT}
 * @param leaderLease the check-quorum bound of a leader
 * @param confirmAfter silence after which a member is {@link MemberState#CONFIRMED} dead
 * @param electionTimeout how long a candidate waits for acknowledgements before it gives up
 */
public record Timing(
    Duration heartbeatInterval,
    Duration suspectAfter,
    Duration leaderLease,
    Duration confirmAfter,
    Duration electionTimeout) {

  /** Checks each bound and their order, naming the one that is wrong. */
  public Timing {
    positive("heartbeatInterval", heartbeatInterval);
    positive("suspectAfter", suspectAfter);
    positive("leaderLease", leaderLease);
    positive("confirmAfter", confirmAfter);
    positive("electionTimeout", electionTimeout);
    ordered("heartbeatInterval", heartbeatInterval, "suspectAfter", suspectAfter);
    ordered("suspectAfter", suspectAfter, "leaderLease", leaderLease);
    ordered("leaderLease", leaderLease, "confirmAfter", confirmAfter);
  }

  /** Heartbeat 100 ms, suspect 400 ms, lease 1.1 s, confirm 1.3 s, election timeout 300 ms. */
  public static Timing defaults() {
    return new Timing(
        Duration.ofMillis(100),
        Duration.ofMillis(400),
        Duration.ofMillis(1100),
        Duration.ofMillis(1300),
        Duration.ofMillis(300));
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  private static void ordered(String a, Duration da, String b, Duration db) {
    if (da.compareTo(db) >= 0) {
      throw new IllegalArgumentException(
          a + " (" + da + ") must be shorter than " + b + " (" + db + ")");
    }
  }
}
