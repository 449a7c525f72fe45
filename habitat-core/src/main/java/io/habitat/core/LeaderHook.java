package io.habitat.core;

/**
 * Called when this member is elected ({@link ServiceConfig.Builder#onElected}) or loses leadership
 * ({@link ServiceConfig.Builder#onRevoked}) of one term. Runs on the service's hook executor, one
 * hook at a time, in event order, never on the protocol thread.
 *
 * <p>An {@code onElected} hook may do the leader's work and return when it is done, or block for as
 * long as it leads (as Curator's {@code takeLeadership}): when leadership ends, its thread is
 * interrupted and {@code leadership.isLeader()} turns false. The {@code onRevoked} hook of the term
 * runs after it returns. {@code elected} and {@code revoked} are paired per term.
 *
 * <p><b>Races.</b> By the time the hook runs, leadership may already have ended: check {@link
 * LeaderContext#isLeader()} before each action that needs it, and fence writes with {@link
 * LeaderContext#term()}.
 */
@FunctionalInterface
public interface LeaderHook {

  /**
   * Handles the start or the end of leadership of one term.
   *
   * @param leadership the term's context, the same object for both calls
   * @throws Exception on failure: logged and counted, and the next hook still runs
   */
  void handle(LeaderContext leadership) throws Exception;
}
