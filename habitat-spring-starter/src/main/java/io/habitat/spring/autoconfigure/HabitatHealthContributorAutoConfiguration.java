package io.habitat.spring.autoconfigure;

import io.habitat.core.Supervisor;
import io.habitat.spring.actuate.HabitatHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures the {@code habitat} health indicator ({@link HabitatHealthIndicator}) when Spring
 * Boot's health support is present; off with {@code management.health.habitat.enabled=false}.
 */
@AutoConfiguration(
    after = HabitatAutoConfiguration.class,
    before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.springframework.boot.health.contributor.HealthIndicator",
      "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator"
    })
public final class HabitatHealthContributorAutoConfiguration {

  HabitatHealthContributorAutoConfiguration() {}

  /** Nested, so that the health condition's class is loaded only when health support is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnEnabledHealthIndicator("habitat")
  @ConditionalOnBean(Supervisor.class)
  static class IndicatorConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "habitatHealthIndicator")
    HabitatHealthIndicator habitatHealthIndicator(Supervisor supervisor) {
      return new HabitatHealthIndicator(supervisor);
    }
  }
}
