package io.habitat.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Health;
import io.habitat.core.HealthCheck;
import io.habitat.core.ServiceConfig;
import io.habitat.core.metrics.HabitatMetrics;
import io.habitat.spring.actuate.ActuatorHealthCheck;
import io.habitat.spring.actuate.HabitatEndpoint;
import io.habitat.spring.actuate.HabitatHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Actuator parts (endpoint, health indicator, health check, metrics) exist only when their
 * libraries are present and they are switched on, as Spring Boot's own do.
 */
class ActuatorAutoConfigurationTest {

  /** Habitat's auto-configurations only, as in an application without Spring Boot's health. */
  private final ApplicationContextRunner habitatOnly;

  /** With Spring Boot's health registry, as in an application with Actuator. */
  private final ApplicationContextRunner runner;

  ActuatorAutoConfigurationTest(@TempDir Path dir) {
    habitatOnly =
        new ApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    HabitatAutoConfiguration.class,
                    HabitatEndpointAutoConfiguration.class,
                    HabitatHealthContributorAutoConfiguration.class,
                    HabitatActuatorHealthCheckAutoConfiguration.class,
                    HabitatMetricsAutoConfiguration.class))
            .withPropertyValues(
                "habitat.startup.auto-startup=false",
                "habitat.service.name=orders",
                "habitat.data-directory=" + dir);
    runner =
        habitatOnly.withConfiguration(
            AutoConfigurations.of(
                HealthContributorAutoConfiguration.class,
                HealthContributorRegistryAutoConfiguration.class));
  }

  @Test
  void theEndpointExistsWhenExposed() {
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=health,habitat")
        .run(context -> assertThat(context).hasSingleBean(HabitatEndpoint.class));
  }

  @Test
  void theEndpointDoesNotExistWhenNotExposed() {
    runner.run(context -> assertThat(context).doesNotHaveBean(HabitatEndpoint.class));
  }

  @Test
  void theEndpointDoesNotExistWhenItsAccessIsNone() {
    runner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=habitat",
            "management.endpoint.habitat.access=NONE")
        .run(context -> assertThat(context).doesNotHaveBean(HabitatEndpoint.class));
  }

  @Test
  void withoutActuatorThereIsNoEndpointAndTheServiceStillRuns() {
    habitatOnly
        .withPropertyValues("management.endpoints.web.exposure.include=habitat")
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(HabitatEndpoint.class);
              assertThat(context).hasSingleBean(io.habitat.core.Service.class);
            });
  }

  @Test
  void theHealthIndicatorExistsByDefault() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(HabitatHealthIndicator.class);
          assertThat(context).hasBean("habitatHealthIndicator");
        });
  }

  @Test
  void theHealthIndicatorCanBeSwitchedOff() {
    runner
        .withPropertyValues("management.health.habitat.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(HabitatHealthIndicator.class));
  }

  @Test
  void withoutSpringBootHealthThereIsNoIndicatorAndNoActuatorHealthCheck() {
    habitatOnly
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(HabitatHealthIndicator.class);
              assertThat(context).doesNotHaveBean(ActuatorHealthCheck.class);
              assertThat(context.getBean(ServiceConfig.class).hooks().healthCheck()).isNull();
            });
  }

  @Test
  void theApplicationsHealthIsTheMembersHealthCheck() {
    runner
        .withPropertyValues("habitat.health.actuator.exclude=readinessState,diskSpace")
        .run(
            context -> {
              ActuatorHealthCheck check = context.getBean(ActuatorHealthCheck.class);
              assertThat(context.getBean(ServiceConfig.class).hooks().healthCheck())
                  .isSameAs(check);
              assertThat(check.excluded())
                  .containsExactlyInAnyOrder("habitat", "readinessState", "diskSpace");
              // The registry holds "ping" (up) and "habitat" (left out).
              assertThat(check.check()).isEqualTo(Health.OK);
            });
  }

  @Test
  void theActuatorHealthCheckCanBeSwitchedOff() {
    runner
        .withPropertyValues("habitat.health.actuator.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(ActuatorHealthCheck.class);
              assertThat(context.getBean(ServiceConfig.class).hooks().healthCheck()).isNull();
            });
  }

  @Test
  void aHealthCheckBeanOfTheApplicationWins() {
    HealthCheck own = HealthCheck.always(Health.WARNING);
    runner
        .withBean(HealthCheck.class, () -> own)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(ActuatorHealthCheck.class);
              assertThat(context.getBean(ServiceConfig.class).hooks().healthCheck()).isSameAs(own);
            });
  }

  @Test
  void metersAreBoundToTheApplicationsRegistry() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasSingleBean(HabitatMetrics.class);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(registry.find("habitat.decode.errors").functionCounter()).isNotNull();
              assertThat(registry.find("habitat.term").tag("group", "orders.default").gauge())
                  .isNotNull();
            });
  }

  @Test
  void withoutARegistryThereAreNoMeters() {
    runner.run(context -> assertThat(context).doesNotHaveBean(HabitatMetrics.class));
  }

  @Test
  void withoutMicrometerThereAreNoMeters() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(HabitatMetrics.class);
            });
  }
}
