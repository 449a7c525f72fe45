package io.habitat.core;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One member's view of its service group at one moment: who is in it, their state, the leader, the
 * term and the voting membership. Immutable; a new snapshot is made on every change. Different
 * members may hold different snapshots at the same time (the system is weakly consistent): by the
 * time a caller reads one, the group may have moved on.
 *
 * @param group the service group
 * @param topology its topology
 * @param self the member whose view this is
 * @param role that member's role
 * @param term the term it accepted or leads
 * @param leader the leader it follows or is, or null when there is none
 * @param members every member it knows of, itself included, ordered by id
 * @param voters the voting membership it holds (empty before the first election)
 */
public record Census(
    ServiceGroup group,
    Topology topology,
    MemberId self,
    Role role,
    Term term,
    @Nullable MemberId leader,
    List<Member> members,
    List<MemberId> voters) {

  /** Copies the lists. */
  public Census {
    members = List.copyOf(members);
    voters = List.copyOf(voters);
  }

  /** The leader, if there is one. */
  public Optional<MemberId> leaderId() {
    return Optional.ofNullable(leader);
  }

  /** The entry of one member, if known. */
  public Optional<Member> member(MemberId id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /**
   * One member as seen in a census.
   *
   * @param id the member id
   * @param address its ring address
   * @param state alive, suspect, confirmed or departed
   * @param suitability its claim to lead
   * @param eligible whether it may lead
   * @param leader whether it is the leader of the census' term
   * @param voter whether it belongs to the voting membership
   */
  public record Member(
      MemberId id,
      String address,
      MemberState state,
      long suitability,
      boolean eligible,
      boolean leader,
      boolean voter) {}
}
