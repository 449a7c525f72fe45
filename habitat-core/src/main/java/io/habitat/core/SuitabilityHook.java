package io.habitat.core;

/**
 * Reports the member's suitability (its claim to lead), for example its replication progress.
 * Polled with the health check, on the service's hook executor; the new value counts from the next
 * election (a sticky leader is not replaced because a follower's suitability grew, unless
 * preemption is on).
 */
@FunctionalInterface
public interface SuitabilityHook {

  /**
   * The suitability now.
   *
   * @return zero or more
   * @throws Exception on failure: the previous value is kept
   */
  long suitability() throws Exception;
}
