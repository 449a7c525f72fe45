package io.habitat.core;

/**
 * The application's health check, run every {@link ServiceConfig#healthInterval()} on the service's
 * hook executor, never on the protocol thread. A check that throws reports {@link Health#UNKNOWN}
 * (and is counted as a hook failure); one that runs past the hook timeout is reported as hung and
 * also counts as {@code UNKNOWN} until it returns.
 *
 * <p>In the initializer topology the leader's first {@link Health#OK} after its init hook is what
 * releases the group's followers.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Checks the application's health.
   *
   * @return the health now; never null
   * @throws Exception if the check could not run (reported as {@link Health#UNKNOWN})
   */
  Health check() throws Exception;

  /** A check that always reports the same health. */
  static HealthCheck always(Health health) {
    java.util.Objects.requireNonNull(health, "health");
    return () -> health;
  }

  /** A check that reports {@link Health#OK} while {@code healthy} returns true, else critical. */
  static HealthCheck critical(java.util.function.BooleanSupplier healthy) {
    java.util.Objects.requireNonNull(healthy, "healthy");
    return () -> healthy.getAsBoolean() ? Health.OK : Health.CRITICAL;
  }
}
