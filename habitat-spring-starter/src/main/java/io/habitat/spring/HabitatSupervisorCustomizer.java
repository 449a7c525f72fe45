package io.habitat.spring;

import io.habitat.core.Supervisor;

/**
 * Changes the auto-configured {@link Supervisor.Builder} after the transport, the name, the timing
 * and the data directory were set, and before the supervisor is built: for example to run hooks on
 * an executor of the application's own ({@code hookExecutor}) or to set the protocol timing in
 * code. Declare it as a bean; every customizer bean runs, in {@link
 * org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered}
 * order.
 *
 * <p>Options that may be set once (transport, data directory or store, event loop, hook executor)
 * fail start-up with an {@link IllegalStateException} when set again; {@code timing} and {@code
 * name} may be overwritten. Runs once, on the thread that creates the supervisor bean. Not used
 * when the application defines its own {@code Supervisor} bean.
 */
@FunctionalInterface
public interface HabitatSupervisorCustomizer {

  /**
   * Customizes the builder.
   *
   * @param builder the builder, with transport, name, timing and data directory already set
   */
  void customize(Supervisor.Builder builder);
}
