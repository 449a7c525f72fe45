package io.habitat.core;

/**
 * Called when a bound group's leader, members or exports change. Runs on the service's hook
 * executor in event order; the snapshot may be stale by the time it runs (a newer call follows).
 */
@FunctionalInterface
public interface BindHook {

  /**
   * Reacts to the change.
   *
   * @param group the bound group as now seen
   * @throws Exception on failure: logged and counted
   */
  void changed(BoundGroup group) throws Exception;
}
