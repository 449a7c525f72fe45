package io.habitat.core;

import java.util.Locale;

/**
 * A member's part in its group's election. The legal moves between roles are the constants of
 * {@link Transition}; the engine refuses any other.
 */
public enum Role {
  /** Follows a leader, or waits for one. Standalone members are always followers. */
  FOLLOWER,
  /** Has claimed a term and waits for a majority of the voting membership to accept it. */
  CANDIDATE,
  /** Leads its term while a majority of the voting membership acknowledges it. */
  LEADER,
  /** Left the group (closed, or refused to join); the role never changes again. */
  STOPPED;

  /** The lower-case name used in JSON and logs. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every legal role change, written down once. */
  public enum Transition {
    /** A follower claims a term. */
    FOLLOWER_TO_CANDIDATE(FOLLOWER, CANDIDATE),
    /** A majority accepted the claim. */
    CANDIDATE_TO_LEADER(CANDIDATE, LEADER),
    /** The claim failed, timed out, or a higher term appeared. */
    CANDIDATE_TO_FOLLOWER(CANDIDATE, FOLLOWER),
    /** The leader stepped down: lost quorum, yielded, turned critical, or saw a higher term. */
    LEADER_TO_FOLLOWER(LEADER, FOLLOWER),
    /** The member left or refused to join. */
    FOLLOWER_TO_STOPPED(FOLLOWER, STOPPED),
    /** A candidate left. */
    CANDIDATE_TO_STOPPED(CANDIDATE, STOPPED),
    /** The leader left (after revocation). */
    LEADER_TO_STOPPED(LEADER, STOPPED);

    private final Role from;
    private final Role to;

    Transition(Role from, Role to) {
      this.from = from;
      this.to = to;
    }

    /** The role before. */
    public Role from() {
      return from;
    }

    /** The role after. */
    public Role to() {
      return to;
    }

    /**
     * The transition between two roles.
     *
     * @throws IllegalStateException if the move is not legal
     */
    public static Transition of(Role from, Role to) {
      for (Transition t : values()) {
        if (t.from == from && t.to == to) {
          return t;
        }
      }
      throw new IllegalStateException("illegal role change " + from + " -> " + to);
    }
  }
}
