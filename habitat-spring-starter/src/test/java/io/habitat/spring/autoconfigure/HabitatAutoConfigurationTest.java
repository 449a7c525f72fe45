package io.habitat.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Bind;
import io.habitat.core.Health;
import io.habitat.core.HealthCheck;
import io.habitat.core.InitHook;
import io.habitat.core.MemberId;
import io.habitat.core.ReconfigureHook;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.core.spi.Transport;
import io.habitat.jgroups.JGroupsTransport;
import io.habitat.spring.HabitatLeadership;
import io.habitat.spring.HabitatServiceCustomizer;
import io.habitat.spring.HabitatSupervisorCustomizer;
import io.habitat.spring.HabitatTransportCustomizer;
import io.habitat.spring.VirtualRing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The auto-configuration's beans, their back-off, property binding and customizers. The supervisor
 * is not started here ({@code habitat.startup.auto-startup=false}) unless a test says so: these
 * tests are about what is built.
 */
class HabitatAutoConfigurationTest {

  private final Path dir;

  private final ApplicationContextRunner runner;

  HabitatAutoConfigurationTest(@TempDir Path dir) {
    this.dir = dir;
    this.runner =
        new ApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    HabitatAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class))
            .withPropertyValues(
                "habitat.startup.auto-startup=false",
                "habitat.service.name=orders",
                "habitat.data-directory=" + dir);
  }

  @Test
  void runCreatesTheTransportTheSupervisorAndTheService() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(JGroupsTransport.class);
          assertThat(context).hasSingleBean(Supervisor.class);
          assertThat(context).hasSingleBean(ServiceConfig.class);
          assertThat(context).hasSingleBean(Service.class);
          assertThat(context).hasSingleBean(HabitatLifecycle.class);
          assertThat(context).hasSingleBean(HabitatLeadership.class);
          assertThat(context).hasSingleBean(HabitatReadinessGate.class);
          Service service = context.getBean(Service.class);
          assertThat(service.group()).isEqualTo(ServiceGroup.parse("orders.default"));
          assertThat(service.topology()).isEqualTo(Topology.STANDALONE);
          assertThat(context.getBean(Supervisor.class).state()).isEqualTo(Supervisor.State.LATENT);
          assertThat(context.getBean(Supervisor.class).services()).containsExactly(service);
        });
  }

  @Test
  void runWhenDisabledCreatesNothing() {
    runner
        .withPropertyValues("habitat.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(Supervisor.class);
              assertThat(context).doesNotHaveBean(Service.class);
              assertThat(context).doesNotHaveBean(HabitatLifecycle.class);
            });
  }

  @Test
  void theServiceNameDefaultsToTheApplicationName() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HabitatAutoConfiguration.class))
        .withPropertyValues(
            "habitat.startup.auto-startup=false",
            "spring.application.name=billing",
            "habitat.data-directory=" + dir)
        .run(
            context ->
                assertThat(context.getBean(Service.class).group())
                    .isEqualTo(ServiceGroup.of("billing")));
  }

  @Test
  void servicePropertiesAreBound() {
    runner
        .withPropertyValues(
            "habitat.service.group=eu",
            "habitat.service.organization=acme",
            "habitat.service.topology=initializer",
            "habitat.service.member-id=orders-0",
            "habitat.service.suitability=7",
            "habitat.service.bootstrap-size=5",
            "habitat.service.health-interval=250ms",
            "habitat.service.critical-threshold=4",
            "habitat.service.hook-timeout=3s",
            "habitat.service.init-retry-min=2s",
            "habitat.service.init-retry-max=1m",
            "habitat.service.preempt=true",
            "habitat.service.exports.port=8080",
            "habitat.service.exports.host=orders-0.orders",
            "habitat.service.binds.database.group=postgres.main",
            "habitat.service.binds.database.strict=true",
            "habitat.service.binds.cache.group=redis.default")
        .run(
            context -> {
              ServiceConfig config = context.getBean(ServiceConfig.class);
              assertThat(config.group()).isEqualTo(new ServiceGroup("orders", "eu", "acme"));
              assertThat(config.topology()).isEqualTo(Topology.INITIALIZER);
              assertThat(config.memberId()).isEqualTo(MemberId.of("orders-0"));
              assertThat(config.suitability()).isEqualTo(7);
              assertThat(config.bootstrapSize()).isEqualTo(5);
              assertThat(config.healthInterval()).isEqualTo(Duration.ofMillis(250));
              assertThat(config.criticalThreshold()).isEqualTo(4);
              assertThat(config.hookTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(config.initRetryMin()).isEqualTo(Duration.ofSeconds(2));
              assertThat(config.initRetryMax()).isEqualTo(Duration.ofMinutes(1));
              assertThat(config.preempt()).isTrue();
              assertThat(config.exports())
                  .isEqualTo(Map.of("port", "8080", "host", "orders-0.orders"));
              assertThat(config.binds())
                  .containsExactly(
                      Bind.strict("database", ServiceGroup.parse("postgres.main")),
                      Bind.of("cache", ServiceGroup.parse("redis.default")));
            });
  }

  @Test
  void propertyDefaultsAreTheLibraryDefaults() {
    HabitatProperties.ServiceSettings settings = new HabitatProperties().getService();
    ServiceConfig library = ServiceConfig.builder(ServiceGroup.of("x")).build();
    assertThat(settings.getTopology()).isEqualTo(library.topology());
    assertThat(settings.getSuitability()).isEqualTo(library.suitability());
    assertThat(settings.getBootstrapSize()).isEqualTo(library.bootstrapSize());
    assertThat(settings.getHealthInterval()).isEqualTo(library.healthInterval());
    assertThat(settings.getCriticalThreshold()).isEqualTo(library.criticalThreshold());
    assertThat(settings.getHookTimeout()).isEqualTo(library.hookTimeout());
    assertThat(settings.getInitRetryMin()).isEqualTo(library.initRetryMin());
    assertThat(settings.getInitRetryMax()).isEqualTo(library.initRetryMax());
    assertThat(settings.isPreempt()).isEqualTo(library.preempt());
    assertThat(settings.getGroup()).isEqualTo(ServiceGroup.DEFAULT_GROUP);
    assertThat(new HabitatProperties().getStartup().getPhase())
        .isEqualTo(HabitatLifecycle.DEFAULT_PHASE);
  }

  @Test
  void ringPropertiesReachTheTransport() {
    runner
        .withPropertyValues(
            "habitat.ring.name=shop",
            "habitat.ring.preset=loopback",
            "habitat.ring.bind-port=24000",
            "habitat.ring.port-range=4",
            "habitat.ring.key=" + "A".repeat(44))
        .run(
            context -> {
              JGroupsTransport transport = context.getBean(JGroupsTransport.class);
              assertThat(transport.keyed()).isTrue();
            });
  }

  @Test
  void withoutAKeyTheRingIsOpen() {
    runner.run(context -> assertThat(context.getBean(JGroupsTransport.class).keyed()).isFalse());
  }

  @Test
  void theDataDirectoryDefaultsToHabitatDataAndTheMemberId() {
    HabitatProperties properties = new HabitatProperties();
    assertThat(PropertiesMapper.dataDirectory(properties)).isEqualTo(Path.of("habitat-data"));
    properties.getService().setMemberId("orders-1");
    assertThat(PropertiesMapper.dataDirectory(properties))
        .isEqualTo(Path.of("habitat-data", "orders-1"));
    properties.setDataDirectory(Path.of("/var/lib/orders"));
    assertThat(PropertiesMapper.dataDirectory(properties)).isEqualTo(Path.of("/var/lib/orders"));
  }

  @Test
  void timingPropertiesOverrideOnlyWhatIsSet() {
    HabitatProperties.TimingSettings settings = new HabitatProperties().getTiming();
    assertThat(PropertiesMapper.timing(settings)).isNull();
    settings.setConfirmAfter(Duration.ofSeconds(2));
    settings.setLeaderLease(Duration.ofMillis(1500));
    io.habitat.core.Timing timing = Objects.requireNonNull(PropertiesMapper.timing(settings));
    assertThat(timing.confirmAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(timing.leaderLease()).isEqualTo(Duration.ofMillis(1500));
    assertThat(timing.heartbeatInterval())
        .isEqualTo(io.habitat.core.Timing.defaults().heartbeatInterval());
  }

  @Test
  void hookBeansBecomeTheServicesHooks() {
    HealthCheck check = HealthCheck.always(Health.WARNING);
    InitHook init = leadership -> {};
    ReconfigureHook reconfigure = leader -> {};
    runner
        .withPropertyValues("habitat.service.topology=initializer")
        .withBean(HealthCheck.class, () -> check)
        .withBean(InitHook.class, () -> init)
        .withBean(ReconfigureHook.class, () -> reconfigure)
        .run(
            context -> {
              ServiceConfig.Hooks hooks = context.getBean(ServiceConfig.class).hooks();
              assertThat(hooks.healthCheck()).isSameAs(check);
              assertThat(hooks.init()).isSameAs(init);
              assertThat(hooks.onReconfigure()).isSameAs(reconfigure);
              assertThat(hooks.suitability()).isNull();
            });
  }

  @Test
  void twoHealthCheckBeansWithoutAPrimaryFailStartUp() {
    runner
        .withBean("first", HealthCheck.class, () -> HealthCheck.always(Health.OK))
        .withBean("second", HealthCheck.class, () -> HealthCheck.always(Health.OK))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(NoUniqueBeanDefinitionException.class));
  }

  @Test
  void userBeansMakeTheAutoConfigurationBackOff() {
    VirtualRing ring = new VirtualRing();
    Supervisor own = ring.supervisor("own");
    runner
        .withBean(Supervisor.class, () -> own)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(JGroupsTransport.class);
              assertThat(context.getBean(Supervisor.class)).isSameAs(own);
              assertThat(own.services()).containsExactly(context.getBean(Service.class));
            });
  }

  @Test
  void aTransportBeanReplacesJGroups() {
    VirtualRing ring = new VirtualRing();
    Transport transport = ring.transport("t");
    runner
        .withBean(Transport.class, () -> transport)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(JGroupsTransport.class);
              assertThat(context).hasSingleBean(Supervisor.class);
            });
  }

  @Test
  void aServiceConfigBeanReplacesTheProperties() {
    ServiceConfig own =
        ServiceConfig.builder(ServiceGroup.parse("ledger.main")).topology(Topology.LEADER).build();
    runner
        .withBean(ServiceConfig.class, () -> own)
        .run(
            context -> {
              assertThat(context.getBean(Service.class).group())
                  .isEqualTo(ServiceGroup.parse("ledger.main"));
              assertThat(context.getBean(Service.class).topology()).isEqualTo(Topology.LEADER);
            });
  }

  @Test
  void aServiceBeanReplacesTheAutoConfiguredService() {
    runner
        .withUserConfiguration(OwnService.class)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(ServiceConfig.class);
              assertThat(context.getBean(Service.class).group())
                  .isEqualTo(ServiceGroup.parse("own.main"));
              assertThat(context).hasSingleBean(HabitatLeadership.class);
            });
  }

  @Test
  void aLeadershipBeanReplacesTheAutoConfiguredOne() {
    runner
        .withUserConfiguration(OwnLeadership.class)
        .run(
            context ->
                assertThat(context.getBean(HabitatLeadership.class))
                    .isSameAs(context.getBean("ownLeadership")));
  }

  @Test
  void customizersRunInOrder() {
    runner
        .withUserConfiguration(Customizers.class)
        .run(
            context -> {
              ServiceConfig config = context.getBean(ServiceConfig.class);
              assertThat(config.suitability()).isEqualTo(2);
              assertThat(config.exports()).containsEntry("order", "first,second");
              Customizers customizers = context.getBean(Customizers.class);
              assertThat(customizers.calls)
                  .containsExactly(
                      "transport-first",
                      "transport-second",
                      "supervisor",
                      "service-first",
                      "service-second");
            });
  }

  @Test
  void theReadinessGateCanBeSwitchedOff() {
    runner
        .withPropertyValues("habitat.readiness.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(HabitatReadinessGate.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnService {
    @Bean
    Service ownService(Supervisor supervisor) {
      return supervisor.register(ServiceConfig.builder(ServiceGroup.parse("own.main")).build());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnLeadership {
    @Bean
    HabitatLeadership ownLeadership(Service service) {
      return new HabitatLeadership(service);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Customizers {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Bean
    @Order(2)
    HabitatServiceCustomizer second() {
      return builder -> {
        calls.add("service-second");
        builder.suitability(2).exports(Map.of("order", "first,second"));
      };
    }

    @Bean
    @Order(1)
    HabitatServiceCustomizer first() {
      return builder -> {
        calls.add("service-first");
        builder.suitability(1).exports(Map.of("order", "first"));
      };
    }

    @Bean
    @Order(2)
    HabitatTransportCustomizer transportSecond() {
      return builder -> calls.add("transport-second");
    }

    @Bean
    @Order(1)
    HabitatTransportCustomizer transportFirst() {
      return builder -> {
        calls.add("transport-first");
        builder.startTimeout(Duration.ofSeconds(5));
      };
    }

    @Bean
    HabitatSupervisorCustomizer supervisor() {
      return builder -> calls.add("supervisor");
    }
  }
}
