package io.habitat.core;

/**
 * Initialises the group's data (initializer topology): creates a schema, loads a seed, and so on.
 * Runs on the elected leader only, on the service's hook executor, before any follower of the group
 * completes start-up.
 *
 * <p><b>Must be idempotent.</b> If the leader dies, turns critical or loses leadership while init
 * runs, or init throws, another (or the same) leader runs it again, possibly on data a previous
 * attempt half-wrote. Once a leader has run it and reported {@link Health#OK}, the group is
 * initialised and the flag is kept in every member's data directory, so a restarted group does not
 * run it again.
 *
 * <p>When leadership ends while it runs, its thread is interrupted and {@code
 * leadership.isLeader()} turns false: stop as soon as you can. Use {@code leadership.term()} as the
 * fencing token of every write.
 */
@FunctionalInterface
public interface InitHook {

  /**
   * Initialises the group.
   *
   * @param leadership the leadership of the term that runs it
   * @throws Exception on failure: reported in the census, then retried with back-off
   */
  void init(LeaderContext leadership) throws Exception;
}
