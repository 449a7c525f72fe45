package io.habitat.spring.actuate;

import io.habitat.core.Census;
import io.habitat.core.MemberState;
import io.habitat.core.Role;
import io.habitat.core.Service;
import io.habitat.core.Supervisor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code habitat} health indicator: whether this member takes part in its groups.
 *
 * <ul>
 *   <li>{@code UP} while the supervisor runs and every service is in its group, with or without a
 *       leader (a group waiting for members or electing is not the member's fault, and restarting
 *       it would not help);
 *   <li>{@code DOWN} when a service has stopped on an error (for example it was departed, or its
 *       member id is taken);
 *   <li>{@code UNKNOWN} before the supervisor starts, {@code OUT_OF_SERVICE} after it closed.
 * </ul>
 *
 * <p>Details per group: the member id, role, term, leader, election status, health, the members by
 * state and, in the initializer topology, whether the group is initialised. Readiness is gated
 * separately (see the readiness gate of the auto-configuration); this indicator is left out of the
 * health check that feeds the application's health to habitat, so the two never loop.
 *
 * <p>Thread-safe and non-blocking: it reads the latest published census.
 */
public final class HabitatHealthIndicator implements HealthIndicator {

  private final Supervisor supervisor;

  /** The indicator of the given supervisor. */
  public HabitatHealthIndicator(Supervisor supervisor) {
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
  }

  @Override
  public Health health() {
    Supervisor.State state = supervisor.state();
    Health.Builder builder =
        switch (state) {
          case LATENT -> Health.unknown();
          case CLOSED -> Health.outOfService();
          case STARTED -> Health.up();
        };
    builder.withDetail("state", state.name().toLowerCase(Locale.ROOT));
    if (state != Supervisor.State.STARTED) {
      return builder.build();
    }
    Map<String, Object> groups = new LinkedHashMap<>();
    boolean stopped = false;
    for (Service service : supervisor.services()) {
      Census census = service.census();
      stopped |= census.role() == Role.STOPPED;
      groups.put(service.group().toString(), details(census, service));
    }
    if (stopped) {
      builder.status(Status.DOWN);
    }
    return builder.withDetail("groups", groups).build();
  }

  private static Map<String, @Nullable Object> details(Census census, Service service) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("member", census.self().value());
    out.put("topology", census.topology().configName());
    out.put("role", census.role().configName());
    out.put("term", census.term().value());
    out.put("leader", census.leader() == null ? null : census.leader().value());
    out.put("election", census.election().configName());
    out.put("health", service.health().configName());
    Map<String, Long> members = new LinkedHashMap<>();
    for (MemberState s : MemberState.values()) {
      long n = census.members().stream().filter(m -> m.state() == s).count();
      if (n > 0) {
        members.put(s.configName(), n);
      }
    }
    out.put("members", members);
    if (census.initialisation().required()) {
      out.put("initialised", census.initialisation().initialised());
    }
    return out;
  }
}
