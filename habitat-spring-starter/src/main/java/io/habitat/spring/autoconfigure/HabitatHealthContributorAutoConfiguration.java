package io.habitat.spring.autoconfigure;

import io.habitat.core.Supervisor;
import io.habitat.spring.actuate.HabitatHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@code habitat} health indicator ({@link HabitatHealthIndicator}) when Spring
 * Boot's health support is present; off with {@code management.health.habitat.enabled=false}.
 */
@AutoConfiguration(
    after = HabitatAutoConfiguration.class,
    before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("habitat")
@ConditionalOnBean(Supervisor.class)
public final class HabitatHealthContributorAutoConfiguration {

  HabitatHealthContributorAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(name = "habitatHealthIndicator")
  HabitatHealthIndicator habitatHealthIndicator(Supervisor supervisor) {
    return new HabitatHealthIndicator(supervisor);
  }
}
