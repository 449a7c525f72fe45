package io.habitat.spring.autoconfigure;

import io.habitat.core.HealthCheck;
import io.habitat.spring.actuate.ActuatorHealthCheck;
import java.util.LinkedHashSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;

/**
 * Makes the application's own Actuator health the member's habitat health check ({@link
 * ActuatorHealthCheck}) when Spring Boot's health support is present and the application defines no
 * {@link HealthCheck} bean. Off with {@code habitat.health.actuator.enabled=false}; contributors
 * are left out with {@code habitat.health.actuator.exclude}.
 *
 * <p>The registry and the status aggregator are looked up when a check runs, not when the bean is
 * made, because the registry holds the {@code habitat} indicator, which needs the service this
 * check belongs to.
 */
@AutoConfiguration(after = HealthContributorRegistryAutoConfiguration.class)
@ConditionalOnClass(HealthContributorRegistry.class)
@ConditionalOnBean(HealthContributorRegistry.class)
@ConditionalOnBooleanProperty(name = "habitat.health.actuator.enabled", matchIfMissing = true)
public final class HabitatActuatorHealthCheckAutoConfiguration {

  HabitatActuatorHealthCheckAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(HealthCheck.class)
  @ConditionalOnBooleanProperty(name = "habitat.enabled", matchIfMissing = true)
  ActuatorHealthCheck habitatActuatorHealthCheck(
      ObjectProvider<HealthContributorRegistry> registry,
      ObjectProvider<StatusAggregator> aggregator,
      HabitatProperties properties) {
    return new ActuatorHealthCheck(
        registry::getIfAvailable,
        () -> aggregator.getIfAvailable(StatusAggregator::getDefault),
        new LinkedHashSet<>(properties.getHealth().getActuator().getExclude()));
  }
}
