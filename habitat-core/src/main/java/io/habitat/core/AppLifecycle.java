package io.habitat.core;

import java.util.Objects;

/**
 * The application's own stop and start, for the follower restart policy ({@link
 * ServiceConfig.Builder#restartOnReconfigure}): as Habitat restarts a follower whose service has no
 * reconfigure hook, each leadership change calls {@link #stop()} then {@link #start()} on every
 * follower. Both run on the service's hook executor, one after the other, never on the protocol
 * thread.
 */
public interface AppLifecycle {

  /**
   * Stops the application's work.
   *
   * @throws Exception on failure: logged and counted; {@link #start()} still runs
   */
  void stop() throws Exception;

  /**
   * Starts it again, now following the new leader.
   *
   * @throws Exception on failure: logged and counted
   */
  void start() throws Exception;

  /** A lifecycle from two actions. */
  static AppLifecycle of(Action stop, Action start) {
    Objects.requireNonNull(stop, "stop");
    Objects.requireNonNull(start, "start");
    return new AppLifecycle() {
      @Override
      public void stop() throws Exception {
        stop.run();
      }

      @Override
      public void start() throws Exception {
        start.run();
      }
    };
  }

  /** An action that may throw. */
  @FunctionalInterface
  interface Action {
    /**
     * Runs it.
     *
     * @throws Exception on failure
     */
    void run() throws Exception;
  }
}
