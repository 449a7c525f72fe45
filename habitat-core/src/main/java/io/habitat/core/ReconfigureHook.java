package io.habitat.core;

/**
 * Reconfigures a follower for a new leader (Habitat's reconfigure hook): point a replica at the new
 * primary, refresh a connection pool, and so on. Called on every follower once for each leadership
 * change it learns of, with the new leader's id, address, exports and term, and again when the
 * leader's exports change. Runs on the service's hook executor, never on the protocol thread, in
 * event order.
 *
 * <p><b>Races.</b> The leader may have changed again by the time it runs; a newer call follows. A
 * follower that misses a leadership (because it was partitioned away) is reconfigured straight to
 * the newest one.
 */
@FunctionalInterface
public interface ReconfigureHook {

  /**
   * Points this follower at the leader.
   *
   * @param leader the leader it now follows
   * @throws Exception on failure: logged and counted, and the next hook still runs
   */
  void reconfigure(LeaderInfo leader) throws Exception;
}
