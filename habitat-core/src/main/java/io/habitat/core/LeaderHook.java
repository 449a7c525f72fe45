package io.habitat.core;

/**
 * Called when this member is elected ({@link ServiceConfig.Builder#onElected}) or loses leadership
 * ({@link ServiceConfig.Builder#onRevoked}) of one term. Runs on the service's hook executor, one
 * hook at a time, in event order, never on the protocol thread.
 *
 * <p>Return promptly: the service's hooks run one at a time, so a hook that blocks holds up the
 * service's later hooks (health checks included) and is reported as hung once it passes the hook
 * timeout. Start long-running leader work on your own threads and stop it when {@link
 * LeaderContext#revocation()} completes or the {@code onRevoked} hook runs. If leadership ends
 * while an {@code onElected} hook still runs, its thread is interrupted (as Curator's {@code
 * LeaderSelector} does) and {@code leadership.isLeader()} turns false; the {@code onRevoked} hook
 * of the term runs after it returns. {@code elected} and {@code revoked} are paired per term.
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
