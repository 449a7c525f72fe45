package io.habitat.spring;

import io.habitat.core.LeaderContext;

/**
 * Work that only the leader may do, run by {@link HabitatLeadership#runIfLeader}. It gets the
 * leadership of the term it runs in: hand {@link LeaderContext#term()} to every resource that can
 * check it, and stop when the thread is interrupted or {@link LeaderContext#isLeader()} turns
 * false.
 *
 * @param <E> the checked exception the task may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface LeaderTask<E extends Exception> {

  /**
   * Does the work.
   *
   * @param leadership the leadership of the term the task runs in
   * @throws E on failure; passed on to the caller of {@link HabitatLeadership#runIfLeader}
   */
  void run(LeaderContext leadership) throws E;
}
