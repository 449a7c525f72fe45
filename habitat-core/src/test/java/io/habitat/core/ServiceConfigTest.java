package io.habitat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

  private static final ServiceGroup GROUP = ServiceGroup.parse("db.main");

  private static ServiceConfig.Builder builder() {
    return ServiceConfig.builder(GROUP);
  }

  @Test
  void theDefaults() {
    ServiceConfig c = builder().build();
    assertThat(c.group()).isEqualTo(GROUP);
    assertThat(c.topology()).isEqualTo(Topology.STANDALONE);
    assertThat(c.memberId()).isNull();
    assertThat(c.suitability()).isZero();
    assertThat(c.bootstrapSize()).isEqualTo(3);
    assertThat(c.hooks())
        .isEqualTo(new ServiceConfig.Hooks(null, null, null, null, null, null, null, null, null));
    assertThat(c.exports()).isEmpty();
    assertThat(c.binds()).isEmpty();
    assertThat(c.healthInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.criticalThreshold()).isEqualTo(3);
    assertThat(c.hookTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.initRetryMin()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.initRetryMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.preempt()).isFalse();
    assertThat(c).hasToString("ServiceConfig[db.main, standalone]");
  }

  @Test
  void anInitHookNeedsTheInitializerTopology() {
    InitHook init = ctx -> {};
    for (Topology t : new Topology[] {Topology.STANDALONE, Topology.LEADER}) {
      assertThatThrownBy(() -> builder().topology(t).init(init).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("an init hook needs the initializer topology")
          .hasMessageContaining("db.main is " + t.configName())
          .hasMessageContaining("set topology(Topology.INITIALIZER) or drop the init hook");
    }
    ServiceConfig c = builder().init(init).topology(Topology.INITIALIZER).build();
    assertThat(c.hooks().init()).isSameAs(init);
  }

  @Test
  void aServiceCannotBindToItsOwnGroup() {
    assertThatThrownBy(() -> builder().bind(Bind.of("self", GROUP)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot bind to its own group db.main");
  }

  @Test
  void bindNamesAreUniqueAndBindsKeepTheirOrder() {
    ServiceConfig.Builder b =
        builder()
            .bind(Bind.strict("database", ServiceGroup.parse("pg.main")))
            .bind(Bind.of("cache", ServiceGroup.of("redis")));
    assertThatThrownBy(() -> b.bind(Bind.of("database", ServiceGroup.of("other"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bind name 'database' is used twice");
    assertThat(b.build().binds())
        .containsExactly(
            Bind.strict("database", ServiceGroup.parse("pg.main")),
            Bind.of("cache", ServiceGroup.of("redis")));
  }

  @Test
  void healthIntervalIsBetweenTenMillisecondsAndAnHour() {
    assertThat(builder().healthInterval(Duration.ofMillis(10)).build().healthInterval())
        .isEqualTo(Duration.ofMillis(10));
    assertThat(builder().healthInterval(Duration.ofHours(1)).build().healthInterval())
        .isEqualTo(Duration.ofHours(1));
    for (Duration bad :
        new Duration[] {
          Duration.ofMillis(9), Duration.ZERO, Duration.ofMillis(-1), Duration.ofMillis(3_600_001)
        }) {
      assertThatThrownBy(() -> builder().healthInterval(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("healthInterval must be between 10 ms and 3600000 ms");
    }
  }

  @Test
  void hookTimeoutIsBetweenTenMillisecondsAndAnHour() {
    assertThat(builder().hookTimeout(Duration.ofMillis(10)).build().hookTimeout())
        .isEqualTo(Duration.ofMillis(10));
    assertThat(builder().hookTimeout(Duration.ofHours(1)).build().hookTimeout())
        .isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> builder().hookTimeout(Duration.ofMillis(9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hookTimeout must be between 10 ms and 3600000 ms");
    assertThatThrownBy(() -> builder().hookTimeout(Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hookTimeout");
  }

  @Test
  void initRetryMaxMustNotBeBelowMin() {
    ServiceConfig c = builder().initRetry(Duration.ofMillis(5), Duration.ofMillis(5)).build();
    assertThat(c.initRetryMin()).isEqualTo(Duration.ofMillis(5));
    assertThat(c.initRetryMax()).isEqualTo(Duration.ofMillis(5));
    assertThatThrownBy(() -> builder().initRetry(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initRetry max (PT1S) must not be below min (PT2S)");
    assertThatThrownBy(() -> builder().initRetry(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initRetry min");
  }

  @Test
  void criticalThresholdAndBootstrapSizeAreBounded() {
    assertThat(builder().criticalThreshold(1).build().criticalThreshold()).isEqualTo(1);
    assertThat(builder().criticalThreshold(100).build().criticalThreshold()).isEqualTo(100);
    assertThatThrownBy(() -> builder().criticalThreshold(0))
        .hasMessageContaining("criticalThreshold must be 1 to 100");
    assertThatThrownBy(() -> builder().criticalThreshold(101))
        .hasMessageContaining("criticalThreshold must be 1 to 100");
    assertThat(builder().bootstrapSize(1024).build().bootstrapSize()).isEqualTo(1024);
    assertThatThrownBy(() -> builder().bootstrapSize(1025)).hasMessageContaining("bootstrapSize");
  }

  @Test
  void exportsAreCheckedWhenSet() {
    assertThatThrownBy(() -> builder().exports(Map.of("Bad Key", "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("export key 'Bad Key'");
    assertThat(builder().exports(Map.of("port", "1", "host", "h")).build().exports())
        .containsExactlyInAnyOrderEntriesOf(Map.of("host", "h", "port", "1"));
  }

  @Test
  void toBuilderCopiesEverything() {
    InitHook init = ctx -> {};
    HealthCheck health = HealthCheck.always(Health.WARNING);
    SuitabilityHook suitability = () -> 7;
    LeaderHook elected = ctx -> {};
    LeaderHook revoked = ctx -> {};
    ReconfigureHook reconfigure = leader -> {};
    AppLifecycle restart = AppLifecycle.of(() -> {}, () -> {});
    GroupConfigHook groupConfig = config -> {};
    BindHook bindChanged = bound -> {};
    ServiceConfig original =
        builder()
            .topology(Topology.INITIALIZER)
            .memberId(MemberId.of("pod-0"))
            .suitability(42)
            .bootstrapSize(5)
            .init(init)
            .healthCheck(health)
            .healthInterval(Duration.ofMillis(250))
            .criticalThreshold(7)
            .suitability(suitability)
            .onElected(elected)
            .onRevoked(revoked)
            .onReconfigure(reconfigure)
            .restartOnReconfigure(restart)
            .onGroupConfig(groupConfig)
            .bind(Bind.strict("cache", ServiceGroup.of("redis")))
            .bind(Bind.of("queue", ServiceGroup.of("rabbit")))
            .onBindChanged(bindChanged)
            .exports(Map.of("port", "5432"))
            .hookTimeout(Duration.ofSeconds(3))
            .initRetry(Duration.ofMillis(200), Duration.ofSeconds(9))
            .preempt(true)
            .build();

    ServiceConfig copy = original.toBuilder().build();

    assertThat(copy).isNotSameAs(original);
    assertThat(copy.group()).isEqualTo(GROUP);
    assertThat(copy.topology()).isEqualTo(Topology.INITIALIZER);
    assertThat(copy.memberId()).isEqualTo(MemberId.of("pod-0"));
    assertThat(copy.suitability()).isEqualTo(42);
    assertThat(copy.bootstrapSize()).isEqualTo(5);
    assertThat(copy.hooks())
        .isEqualTo(
            new ServiceConfig.Hooks(
                init,
                health,
                suitability,
                elected,
                revoked,
                reconfigure,
                restart,
                groupConfig,
                bindChanged));
    assertThat(copy.healthInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(copy.criticalThreshold()).isEqualTo(7);
    assertThat(copy.binds()).isEqualTo(original.binds()).hasSize(2);
    assertThat(copy.exports()).isEqualTo(Map.of("port", "5432"));
    assertThat(copy.hookTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(copy.initRetryMin()).isEqualTo(Duration.ofMillis(200));
    assertThat(copy.initRetryMax()).isEqualTo(Duration.ofSeconds(9));
    assertThat(copy.preempt()).isTrue();

    // The copy's builder is independent: a change there leaves the original alone, and a bind
    // name the original used is still taken.
    ServiceConfig.Builder variant = original.toBuilder().memberId(MemberId.of("pod-1"));
    assertThatThrownBy(() -> variant.bind(Bind.of("cache", ServiceGroup.of("memcached"))))
        .hasMessageContaining("used twice");
    assertThat(variant.build().memberId()).isEqualTo(MemberId.of("pod-1"));
    assertThat(original.memberId()).isEqualTo(MemberId.of("pod-0"));
  }
}
