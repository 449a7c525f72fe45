package io.habitat.spring.actuate;

import io.habitat.core.Health;
import io.habitat.core.HealthCheck;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * A habitat {@link HealthCheck} that reports the application's own Actuator health: every health
 * contributor of the registry except the excluded ones (the {@code habitat} indicator always, so
 * the two never feed each other), aggregated as the health endpoint aggregates them. {@code UP} is
 * {@link Health#OK}; {@code DOWN} is {@link Health#CRITICAL} (the member may not lead, and a leader
 * that stays critical abdicates); {@code OUT_OF_SERVICE}, {@code UNKNOWN} and custom statuses are
 * {@link Health#WARNING}. No contributor at all is OK; an indicator that throws counts as {@code
 * DOWN}.
 *
 * <p>Runs on the service's hook executor every health interval, never on the protocol thread, and
 * calls every indicator each time: keep indicators quick, or raise {@code
 * habitat.service.health-interval}. Blocking indicators block only this check (a check that runs
 * past the hook timeout is reported as hung). Reactive-only contributors are not consulted.
 */
public final class ActuatorHealthCheck implements HealthCheck {

  /** The name of habitat's own indicator, always excluded. */
  public static final String HABITAT_INDICATOR = "habitat";

  private final Supplier<@Nullable HealthContributors> registry;
  private final Supplier<StatusAggregator> aggregator;
  private final Set<String> excluded;

  /**
   * A check over the contributors the supplier returns when a check runs.
   *
   * @param registry the contributors, looked up at each check (null while there are none)
   * @param aggregator how to combine statuses, looked up at each check
   * @param excluded the names of top-level contributors to leave out, besides {@value
   *     #HABITAT_INDICATOR}
   */
  public ActuatorHealthCheck(
      Supplier<@Nullable HealthContributors> registry,
      Supplier<StatusAggregator> aggregator,
      Set<String> excluded) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    Set<String> names = new LinkedHashSet<>(excluded);
    names.add(HABITAT_INDICATOR);
    this.excluded = Set.copyOf(names);
  }

  /** The names left out of the check. */
  public Set<String> excluded() {
    return excluded;
  }

  @Override
  public Health check() {
    HealthContributors contributors = registry.get();
    if (contributors == null) {
      return Health.OK;
    }
    StatusAggregator statuses = aggregator.get();
    Set<Status> found = new LinkedHashSet<>();
    contributors.stream()
        .filter(e -> !excluded.contains(e.name()))
        .forEach(e -> add(found, status(e.contributor(), statuses)));
    if (found.isEmpty()) {
      return Health.OK;
    }
    return map(statuses.getAggregateStatus(found));
  }

  private static void add(Set<Status> found, @Nullable Status status) {
    if (status != null) {
      found.add(status);
    }
  }

  /** The contributor's status, or null for a composite without members. */
  private static @Nullable Status status(HealthContributor contributor, StatusAggregator statuses) {
    if (contributor instanceof HealthIndicator indicator) {
      try {
        org.springframework.boot.health.contributor.Health health = indicator.health(false);
        return health == null ? Status.UNKNOWN : health.getStatus();
      } catch (RuntimeException e) {
        return Status.DOWN;
      }
    }
    CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
    Set<Status> found = new LinkedHashSet<>();
    composite.stream().forEach(e -> add(found, status(e.contributor(), statuses)));
    return found.isEmpty() ? null : statuses.getAggregateStatus(found);
  }

  /** The habitat health of an Actuator status. */
  public static Health map(Status status) {
    if (Status.UP.equals(status)) {
      return Health.OK;
    }
    if (Status.DOWN.equals(status)) {
      return Health.CRITICAL;
    }
    return Health.WARNING;
  }
}
