package io.habitat.core.event;

import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to one member of one group, as that member saw it. Immutable.
 *
 * <p>Events are published in the order the protocol produced them, on the supervisor's event
 * thread, never on the protocol thread. They describe the past: by the time a listener sees {@link
 * LeaderElected}, the member may have lost leadership again ({@link LeaderRevoked} follows).
 */
public sealed interface HabitatEvent {

  /** The group. */
  ServiceGroup group();

  /** The member that saw it. */
  MemberId member();

  /** This member became the leader of {@code term}. */
  record LeaderElected(ServiceGroup group, MemberId member, Term term) implements HabitatEvent {}

  /** This member stopped leading {@code term}, for {@code reason}. */
  record LeaderRevoked(ServiceGroup group, MemberId member, Term term, String reason)
      implements HabitatEvent {}

  /** This member's claim to lead {@code term} failed, for {@code reason}. */
  record ElectionLost(ServiceGroup group, MemberId member, Term term, String reason)
      implements HabitatEvent {}

  /**
   * The leader this member follows (or is) changed.
   *
   * @param leader the new leader, or null when the group has none (as this member sees it)
   * @param term the term this member holds
   * @param failover how long the group was without a leader, from when this member lost the old one
   *     to when it knew the new one; null when it had none to lose, or has none yet
   */
  record LeaderChanged(
      ServiceGroup group,
      MemberId member,
      @Nullable MemberId leader,
      Term term,
      @Nullable Duration failover)
      implements HabitatEvent {}

  /** A hook threw. */
  record HookFailed(ServiceGroup group, MemberId member, String hook, Throwable error)
      implements HabitatEvent {
    /** Checks for nulls. */
    public HookFailed {
      Objects.requireNonNull(error, "error");
    }
  }

  /** A hook ran past the hook timeout and is reported as hung; it may still return later. */
  record HookHung(ServiceGroup group, MemberId member, String hook, Duration running)
      implements HabitatEvent {}
}
