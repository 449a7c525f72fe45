package io.habitat.spring.autoconfigure;

import io.habitat.core.Supervisor;
import io.habitat.core.metrics.HabitatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Binds habitat's meters ({@link HabitatMetrics}: elections, leader, term, members, failover,
 * messages, hook failures, all named {@code habitat.*}) to the application's Micrometer registry,
 * when Micrometer is present and a {@link MeterRegistry} bean exists. Spring Boot binds the {@code
 * HabitatMetrics} bean, a {@code MeterBinder}, to every registry.
 */
@AutoConfiguration(
    after = HabitatAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, Supervisor.class})
public final class HabitatMetricsAutoConfiguration {

  HabitatMetricsAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  HabitatMetrics habitatMetrics(Supervisor supervisor) {
    return new HabitatMetrics(supervisor);
  }
}
