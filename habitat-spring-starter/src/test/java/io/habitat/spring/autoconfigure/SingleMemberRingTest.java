package io.habitat.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.InitHook;
import io.habitat.core.Service;
import io.habitat.core.Supervisor;
import io.habitat.spring.EventRecorder;
import io.habitat.spring.actuate.HabitatEndpoint;
import io.habitat.spring.event.LeadershipGrantedEvent;
import io.habitat.spring.event.LeadershipRevokedEvent;
import io.habitat.test.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One member on a real JGroups ring (loopback preset, 127.0.0.1, a free port block and a ring name
 * of its own): the lifecycle, start-up that waits for the group, failures at start, and the
 * endpoint's operations, which need real time.
 */
class SingleMemberRingTest {

  private static final Duration BOUND = Duration.ofSeconds(20);

  private final ApplicationContextRunner runner;

  SingleMemberRingTest(@TempDir Path dir) {
    this.runner =
        new ApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    HabitatAutoConfiguration.class, HabitatEndpointAutoConfiguration.class))
            .withBean(EventRecorder.class, EventRecorder::new)
            .withPropertyValues(
                "habitat.ring.name=single-" + Long.toHexString(System.nanoTime()),
                "habitat.ring.bind-port=" + FreePorts.block(2),
                "habitat.ring.port-range=2",
                "habitat.service.name=orders",
                "habitat.service.member-id=m1",
                "habitat.service.topology=leader",
                "habitat.service.bootstrap-size=1",
                "habitat.data-directory=" + dir.resolve("m1"),
                "management.endpoints.web.exposure.include=habitat");
  }

  private static FailureAnalysis analyze(AssertableApplicationContext context) {
    Throwable failure = Objects.requireNonNull(context.getStartupFailure(), "no start-up failure");
    return Objects.requireNonNull(
        new HabitatFailureAnalyzer().analyze(failure), () -> "no analysis of " + failure);
  }

  @Test
  void theContextStartsTheSupervisorAndItsCloseLeavesAfterPublishingTheRevocation() {
    AtomicReference<ConfigurableApplicationContext> closed = new AtomicReference<>();
    runner.run(
        context -> {
          Supervisor supervisor = context.getBean(Supervisor.class);
          Service service = context.getBean(Service.class);
          assertThat(supervisor.state()).isEqualTo(Supervisor.State.STARTED);
          Awaitility.await("m1 leads").atMost(BOUND).until(service::isLeader);
          EventRecorder events = context.getBean(EventRecorder.class);
          Awaitility.await("granted")
              .atMost(BOUND)
              .until(() -> events.events(LeadershipGrantedEvent.class).size() == 1);

          context.getSourceApplicationContext().close();
          assertThat(supervisor.state()).isEqualTo(Supervisor.State.CLOSED);
          // Published before the lifecycle stop returned, while the context could still deliver.
          assertThat(events.events(LeadershipRevokedEvent.class)).hasSize(1);
          assertThat(events.events(LeadershipRevokedEvent.class).get(0).getTerm())
              .isEqualTo(events.events(LeadershipGrantedEvent.class).get(0).getTerm());
          closed.set(context.getSourceApplicationContext());
        });
    assertThat(closed.get()).isNotNull();
  }

  @Test
  void waitForReadyHoldsStartUpUntilTheGroupIsInitialised() {
    AtomicReference<String> initThread = new AtomicReference<>();
    runner
        .withPropertyValues(
            "habitat.service.topology=initializer",
            "habitat.startup.wait-for-ready=true",
            "habitat.startup.timeout=30s")
        .withBean(InitHook.class, () -> lead -> initThread.set(Thread.currentThread().getName()))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Service service = context.getBean(Service.class);
              // No waiting here: the refresh returned only once start-up had finished.
              assertThat(service.ready().toCompletableFuture().isDone()).isTrue();
              assertThat(service.census().initialisation().initialised()).isTrue();
              assertThat(initThread.get()).isNotNull();
            });
  }

  @Test
  void waitForReadyFailsStartUpAfterTheTimeoutSayingWhatItWaitedFor() {
    runner
        .withPropertyValues(
            "habitat.service.topology=initializer",
            "habitat.service.bootstrap-size=2",
            "habitat.startup.wait-for-ready=true",
            "habitat.startup.timeout=1s")
        .withBean(InitHook.class, () -> lead -> {})
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context);
              assertThat(analysis.getDescription())
                  .contains("orders.default did not finish start-up within habitat.startup.timeout")
                  .contains("waits for");
              assertThat(analysis.getAction())
                  .contains("habitat.service.bootstrap-size")
                  .contains("habitat.startup.timeout");
            });
  }

  @Test
  void aDataDirectoryInUseFailsStartUpSayingWhatToCheck() {
    runner.run(
        first ->
            runner.run(
                second -> {
                  assertThat(first).hasNotFailed();
                  assertThat(second).hasFailed();
                  FailureAnalysis analysis = analyze(second);
                  assertThat(analysis.getDescription()).contains("habitat could not join its ring");
                  assertThat(analysis.getAction()).contains("habitat.data-directory");
                }));
  }

  @Test
  void theEndpointShowsTheCensusAndRunsOperatorActions() {
    runner
        .withPropertyValues("management.endpoint.habitat.access=UNRESTRICTED")
        .run(
            context -> {
              Service service = context.getBean(Service.class);
              HabitatEndpoint endpoint = context.getBean(HabitatEndpoint.class);
              Awaitility.await("m1 leads").atMost(BOUND).until(service::isLeader);

              Map<String, Object> all = endpoint.habitat();
              assertThat(all).containsKeys("supervisor", "services");
              assertThat(map(all.get("supervisor"))).containsEntry("state", "started");
              Map<String, Object> census = map(map(all.get("services")).get("orders.default"));
              assertThat(census)
                  .containsEntry("self", "m1")
                  .containsEntry("role", "leader")
                  .containsEntry("leader", "m1");
              assertThat(endpoint.group("orders.default")).containsEntry("self", "m1");
              assertThat(endpoint.group("billing.default")).isNull();

              Map<String, Object> applied =
                  endpoint.operate("orders.default", "config", null, 1L, "json", "{\"limit\":5}");
              assertThat(applied).containsEntry("version", 1L).containsEntry("format", "json");
              Awaitility.await("config 1 held")
                  .atMost(BOUND)
                  .until(() -> service.groupConfig().map(c -> c.version() == 1).orElse(false));
              assertThatThrownBy(
                      () ->
                          endpoint.operate(
                              "orders.default", "config", null, 1L, "json", "{\"limit\":6}"))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("version");
              assertThatThrownBy(
                      () -> endpoint.operate("orders.default", "config", null, 2L, "yaml", "a: 1"))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("json, toml");
              assertThatThrownBy(
                      () ->
                          endpoint.operate("orders.default", "depart", "nobody", null, null, null))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("nobody");
              assertThatThrownBy(
                      () -> endpoint.operate("orders.default", "depart", null, null, null, null))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("missing 'member'");
              assertThatThrownBy(
                      () -> endpoint.operate("orders.default", "restart", null, null, null, null))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("yield, reelect, depart, config");
              assertThatThrownBy(
                      () -> endpoint.operate("billing.default", "yield", null, null, null, null))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("orders.default");

              Map<String, Object> yielded =
                  endpoint.operate("orders.default", "yield", null, null, null, null);
              assertThat(yielded).containsEntry("wasLeader", true);
              Awaitility.await("m1 stepped down").atMost(BOUND).until(() -> !service.isLeader());
            });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(@Nullable Object value) {
    return (Map<String, Object>) Objects.requireNonNull(value);
  }
}
