package io.habitat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {

  @Test
  void serviceGroupParsesAllThreeForms() {
    assertThat(ServiceGroup.parse("redis")).isEqualTo(ServiceGroup.of("redis", "default"));
    assertThat(ServiceGroup.parse("postgres.financialdb"))
        .isEqualTo(new ServiceGroup("postgres", "financialdb", null));
    ServiceGroup org = ServiceGroup.parse("postgres.userdb@acme");
    assertThat(org.organization()).isEqualTo("acme");
    assertThat(org).hasToString("postgres.userdb@acme");
    assertThat(ServiceGroup.parse(org.toString())).isEqualTo(org);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".x", "a.", "a.b.c", "a b", "a.b@", "-a", "a.b@c@d", "é.default"})
  void serviceGroupRejectsBadNamesWithAMessageThatSaysWhy(String text) {
    assertThatThrownBy(() -> ServiceGroup.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'");
  }

  @Test
  void serviceGroupNamesAreBounded() {
    String ok = "a".repeat(ServiceGroup.MAX_NAME_LENGTH);
    assertThat(ServiceGroup.of(ok).service()).hasSize(63);
    assertThatThrownBy(() -> ServiceGroup.of(ok + "a")).hasMessageContaining("1 to 63");
  }

  @Test
  void memberIdsAcceptPodNamesAndRejectTheRest() {
    assertThat(MemberId.of("web-0.web.default").value()).isEqualTo("web-0.web.default");
    assertThat(MemberId.random().value()).startsWith("m-").hasSize(14);
    assertThatThrownBy(() -> MemberId.of("")).hasMessageContaining("member id");
    assertThatThrownBy(() -> MemberId.of("a/b")).hasMessageContaining("not allowed");
    assertThatThrownBy(() -> MemberId.of("x".repeat(129))).hasMessageContaining("128");
  }

  @Test
  void termsGrowAndNeverGoNegative() {
    assertThat(Term.ZERO.next()).isEqualTo(Term.of(1));
    assertThat(Term.of(5).isAfter(Term.of(4))).isTrue();
    assertThat(Term.max(Term.of(3), Term.of(7))).isEqualTo(Term.of(7));
    assertThatThrownBy(() -> Term.of(-1)).hasMessageContaining("0 or more");
    assertThatThrownBy(() -> Term.of(Long.MAX_VALUE).next())
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void suitabilityIsNonNegative() {
    assertThat(Suitability.of(3).compareTo(Suitability.of(2))).isPositive();
    assertThatThrownBy(() -> Suitability.of(-1)).hasMessageContaining("0 or more");
  }

  @Test
  void topologyParsesNamesIgnoringCase() {
    assertThat(Topology.parse("Leader")).isEqualTo(Topology.LEADER);
    assertThat(Topology.INITIALIZER.electsLeader()).isTrue();
    assertThat(Topology.STANDALONE.electsLeader()).isFalse();
    assertThatThrownBy(() -> Topology.parse("raft"))
        .hasMessageContaining("standalone, leader, initializer");
  }

  @Test
  void roleTransitionsAreWrittenDownOnce() {
    assertThat(Role.Transition.of(Role.FOLLOWER, Role.CANDIDATE))
        .isEqualTo(Role.Transition.FOLLOWER_TO_CANDIDATE);
    assertThatThrownBy(() -> Role.Transition.of(Role.FOLLOWER, Role.LEADER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FOLLOWER -> LEADER");
    assertThatThrownBy(() -> Role.Transition.of(Role.STOPPED, Role.FOLLOWER))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void timingBoundsMustNest() {
    Timing d = Timing.defaults();
    assertThat(d.leaderLease()).isLessThan(d.confirmAfter());
    assertThatThrownBy(
            () ->
                new Timing(
                    Duration.ofMillis(100),
                    Duration.ofMillis(400),
                    Duration.ofMillis(2000),
                    Duration.ofMillis(1300),
                    Duration.ofMillis(300)))
        .hasMessageContaining("leaderLease")
        .hasMessageContaining("confirmAfter");
    assertThatThrownBy(
            () ->
                new Timing(
                    Duration.ZERO,
                    Duration.ofMillis(400),
                    Duration.ofMillis(1100),
                    Duration.ofMillis(1300),
                    Duration.ofMillis(300)))
        .hasMessageContaining("heartbeatInterval must be positive");
  }

  @Test
  void serviceConfigValidatesAsItIsBuilt() {
    ServiceConfig c =
        ServiceConfig.builder(ServiceGroup.parse("db.main"))
            .topology(Topology.LEADER)
            .suitability(10)
            .bootstrapSize(1)
            .build();
    assertThat(c.topology()).isEqualTo(Topology.LEADER);
    assertThat(c.bootstrapSize()).isEqualTo(1);
    assertThatThrownBy(() -> ServiceConfig.builder(ServiceGroup.of("x")).bootstrapSize(0))
        .hasMessageContaining("bootstrapSize");
    assertThatThrownBy(() -> ServiceConfig.builder(ServiceGroup.of("x")).suitability(-5))
        .hasMessageContaining("suitability");
  }
}
