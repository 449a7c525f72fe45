package io.habitat.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One member's view of its service group at one moment: who is in it, their state, health and
 * exports, the leader, the term, the voting membership, the election and the initialisation.
 * Immutable; a new snapshot is made on every change. Different members may hold different snapshots
 * at the same time (the system is weakly consistent): by the time a caller reads one, the group may
 * have moved on. {@code io.habitat.core.json.CensusJson} renders it as JSON.
 *
 * @param group the service group
 * @param topology its topology
 * @param self the member whose view this is
 * @param role that member's role
 * @param term the term it accepted or leads
 * @param leader the leader it follows or is, or null when there is none
 * @param members every member it knows of, itself included, ordered by id
 * @param voters the voting membership it holds (empty before the first election)
 * @param election where the election stands
 * @param initialisation whether the group is initialised (initializer topology)
 * @param configVersion the version of the group config it holds, 0 when none
 */
public record Census(
    ServiceGroup group,
    Topology topology,
    MemberId self,
    Role role,
    Term term,
    @Nullable MemberId leader,
    List<Member> members,
    List<MemberId> voters,
    ElectionStatus election,
    Initialisation initialisation,
    long configVersion) {

  /** Copies the lists. */
  public Census {
    members = List.copyOf(members);
    voters = List.copyOf(voters);
    Objects.requireNonNull(election, "election");
    Objects.requireNonNull(initialisation, "initialisation");
  }

  /** The leader, if there is one. */
  public Optional<MemberId> leaderId() {
    return Optional.ofNullable(leader);
  }

  /** The entry of one member, if known. */
  public Optional<Member> member(MemberId id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /** This member's own entry. */
  public Member selfMember() {
    return member(self).orElseThrow();
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
   * @param health its last reported health
   * @param exports what it publishes
   */
  public record Member(
      MemberId id,
      String address,
      MemberState state,
      long suitability,
      boolean eligible,
      boolean leader,
      boolean voter,
      Health health,
      Map<String, String> exports) {
    /** Copies the map. */
    public Member {
      Objects.requireNonNull(health, "health");
      exports = Map.copyOf(exports);
    }
  }

  /**
   * The group's initialisation (initializer topology), as this member knows it.
   *
   * @param required whether the topology needs it
   * @param initialised whether a leader has initialised the group and reported healthy
   * @param term the term of the leader that did, {@link Term#ZERO} if none
   * @param error the last init failure the leader reported, or null
   */
  public record Initialisation(
      boolean required, boolean initialised, Term term, @Nullable String error) {
    /** Not required (standalone and leader topologies). */
    public static final Initialisation NOT_REQUIRED =
        new Initialisation(false, false, Term.ZERO, null);

    /** Checks for nulls. */
    public Initialisation {
      Objects.requireNonNull(term, "term");
    }
  }
}
