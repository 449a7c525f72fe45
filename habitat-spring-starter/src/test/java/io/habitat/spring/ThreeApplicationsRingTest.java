package io.habitat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.InitHook;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.Term;
import io.habitat.spring.actuate.ActuatorHealthCheck;
import io.habitat.spring.event.FollowerReconfiguredEvent;
import io.habitat.spring.event.LeadershipGrantedEvent;
import io.habitat.spring.event.LeadershipRevokedEvent;
import io.habitat.spring.event.ServiceReadyEvent;
import io.habitat.test.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Three Spring Boot applications in one JVM form one initializer group over a real JGroups ring
 * (loopback preset, 127.0.0.1, a free port block and a ring name of their own): readiness stays
 * refusing after Spring Boot has declared each application ready, until the group is initialised;
 * exactly one leader runs the init hook; the events arrive with the term; closing the leader's
 * application hands leadership to another in a higher term.
 */
class ThreeApplicationsRingTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  /** Init hook runs by member, across the three applications of this JVM. */
  private static final Map<String, Integer> INITS = new ConcurrentHashMap<>();

  private final String ring = "spring-" + Long.toHexString(System.nanoTime());
  private final int port = FreePorts.block(3);

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    InitHook init(Environment environment) {
      String member = environment.getRequiredProperty("habitat.service.member-id");
      return leadership -> INITS.merge(member, 1, Integer::sum);
    }

    @Bean
    EventRecorder eventRecorder() {
      return new EventRecorder();
    }
  }

  private ConfigurableApplicationContext start(String member, Path dir) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .properties(
            "spring.main.register-shutdown-hook=false",
            "habitat.ring.name=" + ring,
            "habitat.ring.bind-port=" + port,
            "habitat.ring.port-range=3",
            "habitat.service.name=orders",
            "habitat.service.topology=initializer",
            "habitat.service.bootstrap-size=3",
            "habitat.service.member-id=" + member,
            "habitat.data-directory=" + dir.resolve(member))
        .run();
  }

  private static ReadinessState readiness(ConfigurableApplicationContext app) {
    return app.getBean(ApplicationAvailability.class).getReadinessState();
  }

  private static Service service(ConfigurableApplicationContext app) {
    return app.getBean(Service.class);
  }

  private static EventRecorder events(ConfigurableApplicationContext app) {
    return app.getBean(EventRecorder.class);
  }

  /** The leader, if exactly one member leads and every member follows it in its term. */
  private static @Nullable ConfigurableApplicationContext settledLeader(
      List<ConfigurableApplicationContext> apps) {
    List<ConfigurableApplicationContext> leaders =
        apps.stream().filter(a -> service(a).isLeader()).toList();
    if (leaders.size() != 1) {
      return null;
    }
    ConfigurableApplicationContext leader = leaders.get(0);
    MemberId id = service(leader).memberId();
    Term term = service(leader).census().term();
    for (ConfigurableApplicationContext app : apps) {
      if (!id.equals(service(app).census().leader())
          || !term.equals(service(app).census().term())) {
        return null;
      }
    }
    return leader;
  }

  @Test
  void threeApplicationsElectOneLeaderGateReadinessAndHandOver(@TempDir Path dir) {
    INITS.clear();
    List<ConfigurableApplicationContext> apps = new ArrayList<>();
    try {
      apps.add(start("m1", dir));
      ConfigurableApplicationContext first = apps.get(0);
      // Spring Boot declared it ready before run() returned; alone, its group cannot initialise.
      assertThat(readiness(first)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
      assertThat(first.getBean(io.habitat.core.ServiceConfig.class).hooks().healthCheck())
          .isInstanceOf(ActuatorHealthCheck.class);

      apps.add(start("m2", dir));
      apps.add(start("m3", dir));
      Awaitility.await("every application accepts traffic")
          .atMost(BOUND)
          .until(
              () -> apps.stream().allMatch(a -> readiness(a) == ReadinessState.ACCEPTING_TRAFFIC));

      // One instant can fall between two terms if a pause on this busy machine moved leadership:
      // wait for a moment when exactly one member leads and every member follows it.
      Awaitility.await("one leader that every member follows")
          .atMost(BOUND)
          .until(() -> settledLeader(apps) != null);
      ConfigurableApplicationContext leader = java.util.Objects.requireNonNull(settledLeader(apps));
      MemberId leaderId = service(leader).memberId();
      Term term = service(leader).census().term();
      assertThat(INITS.values().stream().mapToInt(Integer::intValue).sum())
          .as("the init hook ran once for the group")
          .isEqualTo(1);
      assertThat(INITS.keySet()).isSubsetOf("m1", "m2", "m3");
      assertThat(service(leader).census().initialisation().initialised()).isTrue();

      Awaitility.await("events")
          .atMost(BOUND)
          .untilAsserted(
              () -> {
                assertThat(events(leader).events(LeadershipGrantedEvent.class))
                    .extracting(LeadershipGrantedEvent::getTerm)
                    .contains(term);
                for (ConfigurableApplicationContext app : apps) {
                  assertThat(events(app).events(ServiceReadyEvent.class)).hasSize(1);
                  if (app != leader) {
                    assertThat(events(app).events(FollowerReconfiguredEvent.class))
                        .isNotEmpty()
                        .last()
                        .satisfies(
                            e -> {
                              assertThat(e.getLeader().id()).isEqualTo(leaderId);
                              assertThat(e.getTerm()).isEqualTo(term);
                            });
                  }
                }
              });

      EventRecorder leaderEvents = events(leader);
      leader.close();
      // Published before close() returned.
      assertThat(leaderEvents.events(LeadershipRevokedEvent.class))
          .extracting(LeadershipRevokedEvent::getTerm)
          .contains(term);
      List<ConfigurableApplicationContext> rest = apps.stream().filter(a -> a != leader).toList();
      Awaitility.await("a new leader in a higher term")
          .atMost(BOUND)
          .until(
              () ->
                  rest.stream()
                      .anyMatch(
                          a -> service(a).isLeader() && service(a).census().term().isAfter(term)));
      ConfigurableApplicationContext successor =
          rest.stream().filter(a -> service(a).isLeader()).findFirst().orElseThrow();
      Awaitility.await("the successor's event")
          .atMost(BOUND)
          .until(
              () ->
                  events(successor).events(LeadershipGrantedEvent.class).stream()
                      .anyMatch(e -> e.getTerm().isAfter(term)));
      assertThat(INITS.values().stream().mapToInt(Integer::intValue).sum())
          .as("the initialised group is not initialised again")
          .isEqualTo(1);
    } finally {
      apps.forEach(ConfigurableApplicationContext::close);
    }
  }
}
