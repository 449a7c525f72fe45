package io.habitat.core.spi;

import io.habitat.core.GroupConfig;
import io.habitat.core.MemberId;
import io.habitat.core.Term;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a member keeps across restarts for one service group.
 *
 * @param memberId the member's stable id
 * @param highestTerm the highest term the member has seen; never goes back
 * @param initialised whether the group was initialised (initializer topology)
 * @param initialisedTerm the term of the leader that initialised it, {@link Term#ZERO} if not
 * @param membership the newest voting membership the member holds
 * @param groupConfig the newest group config the member holds, or null
 */
public record MemberRecord(
    MemberId memberId,
    Term highestTerm,
    boolean initialised,
    Term initialisedTerm,
    Membership membership,
    @Nullable GroupConfig groupConfig) {

  /**
   * A voting membership: the members whose majority a leader needs, identified by the term of the
   * leader that made it and a version within that term.
   *
   * @param term the term of the leader that made it; 0 with version 0 means "none yet"
   * @param version its version within that term
   * @param voters the voting members, ordered by id
   */
  public record Membership(long term, long version, List<MemberId> voters) {
    /** No voting membership yet: the group has not bootstrapped. */
    public static final Membership NONE = new Membership(0, 0, List.of());

    /** Checks the numbers and copies the list. */
    public Membership {
      if (term < 0 || version < 0) {
        throw new IllegalArgumentException(
            "membership term and version must be 0 or more, were " + term + " and " + version);
      }
      voters = List.copyOf(voters);
    }
  }

  /** Checks that nothing is null. */
  public MemberRecord {
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(highestTerm, "highestTerm");
    Objects.requireNonNull(initialisedTerm, "initialisedTerm");
    Objects.requireNonNull(membership, "membership");
  }

  /** A record without a voting membership or group config. */
  public MemberRecord(
      MemberId memberId, Term highestTerm, boolean initialised, Term initialisedTerm) {
    this(memberId, highestTerm, initialised, initialisedTerm, Membership.NONE, null);
  }

  /** A new member's record: term zero, not initialised, no membership, no group config. */
  public static MemberRecord fresh(MemberId memberId) {
    return new MemberRecord(memberId, Term.ZERO, false, Term.ZERO, Membership.NONE, null);
  }

  /** This record with a higher term; the same record if the term is not higher. */
  public MemberRecord withTerm(Term term) {
    return term.isAfter(highestTerm)
        ? new MemberRecord(memberId, term, initialised, initialisedTerm, membership, groupConfig)
        : this;
  }

  /** This record with another voting membership. */
  public MemberRecord withMembership(Membership next) {
    return new MemberRecord(memberId, highestTerm, initialised, initialisedTerm, next, groupConfig);
  }

  /** This record marked initialised by the leader of {@code term}. */
  public MemberRecord withInitialised(Term term) {
    return new MemberRecord(memberId, highestTerm, true, term, membership, groupConfig);
  }

  /** This record with another group config. */
  public MemberRecord withGroupConfig(GroupConfig config) {
    return new MemberRecord(
        memberId, highestTerm, initialised, initialisedTerm, membership, config);
  }

  /** This record with another member id (a configured id replaces a stored one). */
  public MemberRecord withMemberId(MemberId id) {
    return new MemberRecord(id, highestTerm, initialised, initialisedTerm, membership, groupConfig);
  }
}
