package io.habitat.core;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One service's membership of its group, as held by the application. Obtained from {@link
 * Supervisor#register}; it lives until the supervisor closes.
 *
 * <p>Queries are non-blocking, safe from any thread, and return the latest state the protocol
 * published; it may change right after they return.
 */
public interface Service {

  /** The service group. */
  ServiceGroup group();

  /** The topology. */
  Topology topology();

  /**
   * The member id.
   *
   * @throws IllegalStateException before the supervisor has started
   */
  MemberId memberId();

  /** The latest census snapshot. */
  Census census();

  /** Whether this member leads its group right now, quorum lease included. */
  boolean isLeader();

  /** The context of the term this member leads, while it leads. */
  Optional<LeaderContext> leadership();

  /** Adds a listener; callbacks run on the service's hook executor. */
  void addListener(ServiceListener listener);

  /**
   * Hands leadership to the next-ranked eligible member, if this member leads; otherwise does
   * nothing. Returns at once. This member's revoked hooks run first; the successor claims only once
   * they have returned (or timed out), so the two never lead at once, and without waiting for
   * failure detection. This member stays ineligible for two election timeouts.
   */
  void yieldLeadership();

  /**
   * Forces a re-election, for operators: the leader steps down (with the same hand-off as {@link
   * #yieldLeadership()}, but it stays eligible), and the group elects by rank again, which may
   * choose the same member. Called on a follower, it asks the leader it follows. Returns at once.
   */
  void reelect();

  /**
   * Removes {@code member} from this group for good, as Habitat's {@code hab sup depart}: for
   * operators replacing a machine, or clearing a member that will not come back. Returns at once.
   *
   * <p>A live member (this one included) leaves gracefully when the departure reaches it: it hands
   * over first if it leads, then says goodbye; its {@link #ready()} fails and its listeners hear
   * {@link ServiceListener#failed}. A suspect or dead member is departed at once, so the leader
   * removes it from the voting membership (and quorum shrinks) without waiting for the departure
   * timeout. Every member then ignores the departed id and answers it with the departure, so a
   * departed member restarted under the same id stops at once: give it a new member id (or a fresh
   * data directory) to join again. A departure is not a hand-off: a departed leader's revoked hooks
   * may still run while its successor's elected hooks start, up to the usual overlap window; call
   * {@link #yieldLeadership()} on the leader first where that matters.
   *
   * <p>Races: departures are held in memory and reach the members connected when it is sent; a
   * member cut off by a partition at that moment, or that joins later, does not learn of it, and a
   * member of an older protocol version ignores it. Depart again after a partition heals.
   *
   * @return completes when this member recorded the departure and sent it to the group; fails with
   *     {@link IllegalArgumentException} (nothing sent) if {@code member} is not in this member's
   *     census, or {@link IllegalStateException} if this member is not in the group
   */
  CompletionStage<Void> depart(MemberId member);

  /**
   * Completes when this member has finished start-up: it has joined; in the initializer topology
   * the group is initialised (on the leader: its own init hook ran and its health reported OK); and
   * every strict bind is satisfied. Completes with the census of that moment, and never completes
   * exceptionally except when the service fails or the supervisor closes first ({@link
   * HabitatException}). Callbacks run on the thread that completes it: keep them short.
   */
  CompletionStage<Census> ready();

  /**
   * Blocks until {@link #ready()} completes.
   *
   * @return the census at the moment start-up finished
   * @throws HabitatException if it did not within {@code timeout}, saying which group, which leader
   *     and what it was waiting for; or if the service failed
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  Census awaitReady(Duration timeout) throws InterruptedException;

  /** The last health this member reported ({@link Health#OK} without a health check). */
  Health health();

  /**
   * Replaces what this member publishes. Returns at once; the group sees the new exports within a
   * heartbeat or two, and followers are reconfigured when the leader's exports change.
   *
   * @throws IllegalArgumentException if they break the limits of {@link Exports}; nothing changes
   */
  void publishExports(Map<String, String> exports);

  /**
   * Applies a config document to the whole group, from this member. The document is checked here
   * and now: at most {@link GroupConfig#MAX_BYTES} of UTF-8, and it must parse in its format; the
   * version must be higher than the version this member holds. Once accepted it is kept in this
   * member's data directory and spread to every member, later joiners too.
   *
   * @return completes with the accepted document once it is durable here; completes exceptionally
   *     with {@link HabitatException} if the version is not higher than the one this member holds,
   *     saying which version it holds (nothing is applied anywhere)
   * @throws IllegalArgumentException if the document is too large, does not parse, or the version
   *     is below 1, saying what was wrong; nothing is applied anywhere
   */
  CompletionStage<GroupConfig> applyConfig(long version, ConfigFormat format, String document);

  /** The newest group config this member holds, if any. */
  Optional<GroupConfig> groupConfig();

  /**
   * What this member sees of a group it binds to.
   *
   * @throws IllegalArgumentException if no bind has that name, listing the names there are
   */
  BoundGroup bound(String bindName);
}
