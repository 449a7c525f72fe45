package io.habitat.spring;

import io.habitat.jgroups.JGroupsTransport;

/**
 * Changes the auto-configured {@link JGroupsTransport.Builder} after the {@code habitat.ring.*}
 * properties were applied, and before the transport is built: for options no property covers, or
 * values computed at start-up. Declare it as a bean; every customizer bean runs, in {@link
 * org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered}
 * order.
 *
 * <p>Each option of the builder may be set once: setting one that a property already set fails
 * start-up with an {@link IllegalStateException} naming the option (remove the property or the
 * call). Runs once, on the thread that creates the transport bean (during the context refresh). Not
 * used when the application defines its own {@link io.habitat.core.spi.Transport} bean.
 */
@FunctionalInterface
public interface HabitatTransportCustomizer {

  /**
   * Customizes the builder.
   *
   * @param builder the builder, with the {@code habitat.ring.*} properties already applied
   */
  void customize(JGroupsTransport.Builder builder);
}
