package io.habitat.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a service sees of a group it binds to: the live members with their exports, and the leader.
 * Immutable; a new snapshot is made on every change.
 *
 * @param bind the bind
 * @param topology the bound group's topology as its members announce it ({@link
 *     Topology#STANDALONE} until one is heard)
 * @param leader the bound group's leader, or null when it has none or is standalone
 * @param term the leader's term, {@link Term#ZERO} when there is none
 * @param members the live members, ordered by id, with their exports
 */
public record BoundGroup(
    Bind bind,
    Topology topology,
    @Nullable MemberId leader,
    Term term,
    List<Census.Member> members) {

  /** Copies the list. */
  public BoundGroup {
    Objects.requireNonNull(bind, "bind");
    members = List.copyOf(members);
  }

  /** The leader's entry, if there is a leader. */
  public Optional<Census.Member> leaderMember() {
    MemberId l = leader;
    return l == null
        ? Optional.empty()
        : members.stream().filter(m -> m.id().equals(l)).findFirst();
  }

  /**
   * Whether a strict bind is satisfied: a leader for an electing group, any live member for a
   * standalone one.
   */
  public boolean satisfied() {
    return topology.electsLeader() ? leader != null : !members.isEmpty();
  }
}
