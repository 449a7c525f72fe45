package io.habitat.core;

import java.util.Optional;

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
   * Hands leadership to the next-ranked eligible member, if this member leads. Returns at once;
   * {@link ServiceListener#revoked} follows.
   */
  void yieldLeadership();
}
