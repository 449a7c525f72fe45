package io.habitat.core;

import java.util.concurrent.CompletionStage;

/**
 * Leadership of one term, as handed to the application. One context per term: {@link
 * ServiceListener#elected} receives it, {@link ServiceListener#revoked} later receives the same
 * one.
 *
 * <p><b>Races.</b> Leadership can end at any moment, before the application looks: a partition, a
 * lost quorum, a GC pause. {@link #isLeader()} checks the quorum bound at the time of the call, so
 * a leader that was frozen finds out the moment it wakes. Work already in flight cannot be stopped
 * by this library: only a resource that checks the {@link #term()} (a database row with the term, a
 * storage write with a precondition) can refuse a stale leader. An email or a third-party call
 * cannot be fenced.
 *
 * <p>All methods are non-blocking and safe from any thread.
 */
public interface LeaderContext {

  /** The term this context leads: the fencing token to hand to resources. */
  Term term();

  /**
   * Whether this member still leads this term and holds its quorum lease right now. False forever
   * once it has turned false.
   */
  boolean isLeader();

  /** Whether leadership of this term has ended. */
  boolean isRevoked();

  /**
   * Completes when leadership of this term ends (revocation, step-down, close). Completed stages
   * stay completed; callbacks run on the thread that completes it or, if already complete, on the
   * caller's thread, so keep them short.
   */
  CompletionStage<Term> revocation();
}
