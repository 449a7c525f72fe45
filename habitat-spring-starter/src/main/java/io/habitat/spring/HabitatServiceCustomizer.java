package io.habitat.spring;

import io.habitat.core.ServiceConfig;

/**
 * Changes the auto-configured service's {@link ServiceConfig.Builder} after the {@code
 * habitat.service.*} properties and the hook beans were applied, and before the configuration is
 * built. Declare it as a bean; every customizer bean runs, in {@link
 * org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered}
 * order, so a later one sees (and may overwrite) what an earlier one set.
 *
 * <pre>{@code
 * @Bean
 * HabitatServiceCustomizer exports(ServerProperties server) {
 *   return builder -> builder.exports(Map.of("port", String.valueOf(server.getPort())));
 * }
 * }</pre>
 *
 * <p>Runs once, on the thread that creates the {@code ServiceConfig} bean (during the context
 * refresh), before the supervisor starts. Not used when the application defines its own {@code
 * ServiceConfig} or {@code Service} bean.
 */
@FunctionalInterface
public interface HabitatServiceCustomizer {

  /**
   * Customizes the builder.
   *
   * @param builder the builder, with the properties and hook beans already applied
   * @throws IllegalArgumentException if a value is not allowed (start-up fails with its message)
   */
  void customize(ServiceConfig.Builder builder);
}
