package io.habitat.core;

import java.util.Locale;

/**
 * What the census believes about a member's liveness. A member that leaves gracefully is removed
 * from the census at once; it has no state.
 */
public enum MemberState {
  /** Heard from within the suspicion timeout. */
  ALIVE,
  /** Silent for longer than the suspicion timeout, but still in the ring's view. */
  SUSPECT,
  /**
   * Believed dead: gone from the ring's view without a goodbye, or silent past the confirm bound.
   */
  CONFIRMED,
  /** Removed from the group by an operator or by the departure timeout; it must rejoin anew. */
  DEPARTED;

  /** The lower-case name used in JSON and logs. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
