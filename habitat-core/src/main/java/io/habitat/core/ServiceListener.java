package io.habitat.core;

/**
 * Callbacks of one service. They run on the service's hook executor, never on the protocol thread,
 * one at a time and in the order the protocol produced the events. A callback that throws is logged
 * and counted; the next one still runs.
 *
 * <p><b>Races.</b> By the time a callback runs, the state it reports may have changed again: {@code
 * elected} may arrive for a term that has already been revoked (then {@code revoked} follows at
 * once). Check {@link LeaderContext#isLeader()} before each action that needs leadership. {@code
 * elected} and {@code revoked} are strictly paired per term, also when the service closes.
 */
public interface ServiceListener {

  /** This member became the leader of {@code context.term()}. */
  default void elected(LeaderContext context) {}

  /** This member no longer leads {@code context.term()}; the same context as {@code elected}. */
  default void revoked(LeaderContext context) {}

  /** The group's census changed. Called at most once per protocol step. */
  default void censusChanged(Census census) {}

  /**
   * The service stopped on an error it cannot recover from (for example, its member id is already
   * used by a live member of the group). The message says what to do.
   */
  default void failed(HabitatException error) {}
}
