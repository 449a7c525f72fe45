package io.habitat.core.spi;

import io.habitat.core.MemberId;
import io.habitat.core.Term;
import java.util.Objects;

/**
 * What a member keeps across restarts for one service group.
 *
 * @param memberId the member's stable id
 * @param highestTerm the highest term the member has seen; never goes back
 * @param initialised whether the group was initialised (initializer topology)
 * @param initialisedTerm the term of the leader that initialised it, {@link Term#ZERO} if not
 */
public record MemberRecord(
    MemberId memberId, Term highestTerm, boolean initialised, Term initialisedTerm) {

  /** Checks that nothing is null. */
  public MemberRecord {
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(highestTerm, "highestTerm");
    Objects.requireNonNull(initialisedTerm, "initialisedTerm");
  }

  /** A new member's record: term zero, not initialised. */
  public static MemberRecord fresh(MemberId memberId) {
    return new MemberRecord(memberId, Term.ZERO, false, Term.ZERO);
  }

  /** This record with a higher term; the same record if the term is not higher. */
  public MemberRecord withTerm(Term term) {
    return term.isAfter(highestTerm)
        ? new MemberRecord(memberId, term, initialised, initialisedTerm)
        : this;
  }
}
