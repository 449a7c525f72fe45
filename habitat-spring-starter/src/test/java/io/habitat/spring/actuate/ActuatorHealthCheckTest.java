package io.habitat.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Health;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/** The application's Actuator health, as habitat's health check. */
class ActuatorHealthCheckTest {

  private static HealthIndicator indicator(Status status) {
    return () -> org.springframework.boot.health.contributor.Health.status(status).build();
  }

  private static Health check(Map<String, HealthContributor> contributors, Set<String> excluded) {
    CompositeHealthContributor registry = CompositeHealthContributor.fromMap(contributors);
    return new ActuatorHealthCheck(() -> registry, StatusAggregator::getDefault, excluded).check();
  }

  private static Map<String, HealthContributor> of(Object... nameAndContributor) {
    Map<String, HealthContributor> out = new LinkedHashMap<>();
    for (int i = 0; i < nameAndContributor.length; i += 2) {
      out.put((String) nameAndContributor[i], (HealthContributor) nameAndContributor[i + 1]);
    }
    return out;
  }

  @Test
  void upIsOk() {
    assertThat(check(of("db", indicator(Status.UP), "disk", indicator(Status.UP)), Set.of()))
        .isEqualTo(Health.OK);
  }

  @Test
  void oneDownIsCritical() {
    assertThat(check(of("db", indicator(Status.DOWN), "disk", indicator(Status.UP)), Set.of()))
        .isEqualTo(Health.CRITICAL);
  }

  @Test
  void outOfServiceUnknownAndCustomStatusesAreWarnings() {
    assertThat(check(of("db", indicator(Status.OUT_OF_SERVICE)), Set.of()))
        .isEqualTo(Health.WARNING);
    assertThat(check(of("db", indicator(Status.UNKNOWN)), Set.of())).isEqualTo(Health.WARNING);
    assertThat(check(of("db", indicator(new Status("DEGRADED"))), Set.of()))
        .isEqualTo(Health.WARNING);
  }

  @Test
  void theHabitatIndicatorIsAlwaysLeftOut() {
    assertThat(check(of("habitat", indicator(Status.DOWN), "db", indicator(Status.UP)), Set.of()))
        .isEqualTo(Health.OK);
  }

  @Test
  void excludedContributorsAreLeftOut() {
    Map<String, HealthContributor> contributors =
        of("readinessState", indicator(Status.OUT_OF_SERVICE), "db", indicator(Status.UP));
    assertThat(check(contributors, Set.of("readinessState"))).isEqualTo(Health.OK);
    assertThat(check(contributors, Set.of())).isEqualTo(Health.WARNING);
  }

  @Test
  void anIndicatorThatThrowsCountsAsDown() {
    HealthIndicator broken =
        () -> {
          throw new IllegalStateException("no connection");
        };
    assertThat(check(of("db", broken), Set.of())).isEqualTo(Health.CRITICAL);
  }

  @Test
  void nestedContributorsAreAggregated() {
    HealthContributor composite =
        CompositeHealthContributor.fromMap(
            of("primary", indicator(Status.UP), "replica", indicator(Status.DOWN)));
    assertThat(check(of("dataSources", composite), Set.of())).isEqualTo(Health.CRITICAL);
  }

  @Test
  void noContributorsIsOk() {
    assertThat(check(of(), Set.of())).isEqualTo(Health.OK);
    assertThat(new ActuatorHealthCheck(() -> null, StatusAggregator::getDefault, Set.of()).check())
        .isEqualTo(Health.OK);
  }

  @Test
  void theExcludedNamesIncludeHabitat() {
    assertThat(
            new ActuatorHealthCheck(() -> null, StatusAggregator::getDefault, Set.of("x"))
                .excluded())
        .containsExactlyInAnyOrder("x", "habitat");
  }
}
