package io.habitat.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Census;
import io.habitat.core.ConfigFormat;
import io.habitat.core.HealthCheck;
import io.habitat.core.InitHook;
import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.Role;
import io.habitat.core.Service;
import io.habitat.core.ServiceListener;
import io.habitat.core.Supervisor;
import io.habitat.core.Term;
import io.habitat.spring.EventRecorder;
import io.habitat.spring.HabitatLeadership;
import io.habitat.spring.VirtualRing;
import io.habitat.spring.actuate.HabitatHealthIndicator;
import io.habitat.spring.event.CensusChangedEvent;
import io.habitat.spring.event.FollowerReconfiguredEvent;
import io.habitat.spring.event.GroupConfigChangedEvent;
import io.habitat.spring.event.LeadershipGrantedEvent;
import io.habitat.spring.event.LeadershipRevokedEvent;
import io.habitat.spring.event.ServiceFailedEvent;
import io.habitat.spring.event.ServiceReadyEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What the auto-configured service does once its context runs, on habitat-test's in-memory ring and
 * virtual time (the application's own {@link Supervisor} bean): events, leader-only work, the
 * readiness gate, the health indicator. The test's thread refreshes the context and moves virtual
 * time; events arrive on their own thread, so they are awaited.
 */
class VirtualRingBehaviourTest {

  private final VirtualRing ring = new VirtualRing();

  private ApplicationContextRunner member(String id) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                HabitatAutoConfiguration.class,
                HabitatHealthContributorAutoConfiguration.class,
                ApplicationAvailabilityAutoConfiguration.class))
        .withBean(Supervisor.class, () -> ring.supervisor(id))
        .withBean(EventRecorder.class, EventRecorder::new)
        .withPropertyValues(
            "habitat.service.name=orders",
            "habitat.service.member-id=" + id,
            "habitat.service.bootstrap-size=1");
  }

  @Test
  void leadershipIsPublishedWithItsTermAndRevokedWithTheSameContext() {
    member("a")
        .withPropertyValues("habitat.service.topology=leader")
        .run(
            context -> {
              Service service = context.getBean(Service.class);
              EventRecorder events = context.getBean(EventRecorder.class);
              ring.await("a leads", service::isLeader);
              Term term = service.census().term();
              ring.awaitEvents(
                  "events", () -> events.events(LeadershipGrantedEvent.class).size() == 1);
              LeadershipGrantedEvent granted = events.events(LeadershipGrantedEvent.class).get(0);
              assertThat(granted.getTerm()).isEqualTo(term);
              assertThat(granted.getMember()).isEqualTo(MemberId.of("a"));
              assertThat(granted.getService()).isSameAs(service);

              service.yieldLeadership();
              ring.await("a stepped down", () -> !service.isLeader());
              ring.awaitEvents(
                  "events", () -> events.events(LeadershipRevokedEvent.class).size() == 1);
              LeadershipRevokedEvent revoked = events.events(LeadershipRevokedEvent.class).get(0);
              assertThat(revoked.getLeadership()).isSameAs(granted.getLeadership());
              assertThat(revoked.getTerm()).isEqualTo(term);

              assertThat(events.events(ServiceReadyEvent.class)).hasSize(1);
              assertThat(events.events(CensusChangedEvent.class)).isNotEmpty();
              assertThat(events.threads()).allMatch("habitat-spring-events"::equals);
            });
  }

  @Test
  void aFollowerIsReconfiguredAndEveryMemberSeesNewGroupConfig() {
    ApplicationContextRunner a =
        member("a")
            .withPropertyValues("habitat.service.topology=leader", "habitat.service.suitability=1");
    ApplicationContextRunner b =
        member("b")
            .withPropertyValues("habitat.service.topology=leader", "habitat.service.suitability=9");
    a.run(
        contextA ->
            b.run(
                contextB -> {
                  Service serviceA = contextA.getBean(Service.class);
                  Service serviceB = contextB.getBean(Service.class);
                  ring.await(
                      "both follow b",
                      () ->
                          serviceB.isLeader()
                              && MemberId.of("b").equals(serviceA.census().leader()));
                  EventRecorder eventsA = contextA.getBean(EventRecorder.class);
                  EventRecorder eventsB = contextB.getBean(EventRecorder.class);
                  ring.awaitEvents(
                      "events", () -> !eventsA.events(FollowerReconfiguredEvent.class).isEmpty());
                  FollowerReconfiguredEvent reconfigured =
                      last(eventsA.events(FollowerReconfiguredEvent.class));
                  assertThat(reconfigured.getLeader().id()).isEqualTo(MemberId.of("b"));
                  assertThat(reconfigured.getTerm()).isEqualTo(serviceB.census().term());
                  assertThat(eventsB.events(FollowerReconfiguredEvent.class)).isEmpty();

                  serviceB.applyConfig(1, ConfigFormat.JSON, "{\"limit\": 5}");
                  ring.await(
                      "a holds the config",
                      () -> serviceA.groupConfig().map(c -> c.version() == 1).orElse(false));
                  ring.awaitEvents(
                      "events",
                      () ->
                          !eventsA.events(GroupConfigChangedEvent.class).isEmpty()
                              && !eventsB.events(GroupConfigChangedEvent.class).isEmpty());
                  assertThat(
                          last(eventsA.events(GroupConfigChangedEvent.class))
                              .getConfig()
                              .document())
                      .isEqualTo("{\"limit\": 5}");
                }));
  }

  @Test
  void serviceListenerBeansAreAddedToTheService() {
    List<Term> elected = new CopyOnWriteArrayList<>();
    member("a")
        .withPropertyValues("habitat.service.topology=leader")
        .withBean(
            ServiceListener.class,
            () ->
                new ServiceListener() {
                  @Override
                  public void elected(LeaderContext context) {
                    elected.add(context.term());
                  }
                })
        .run(
            context -> {
              Service service = context.getBean(Service.class);
              ring.await("a leads with the listener told", () -> !elected.isEmpty());
              assertThat(elected).containsExactly(service.census().term());
            });
  }

  @Test
  void leaderOnlyWorkRunsOnTheLeaderWithItsTermAndIsInterruptedOnRevocation() throws Exception {
    member("a")
        .withPropertyValues("habitat.service.topology=leader")
        .run(
            context -> {
              Service service = context.getBean(Service.class);
              HabitatLeadership leadership = context.getBean(HabitatLeadership.class);
              assertThat(leadership.runIfLeader(lead -> {})).isFalse();
              ring.await("a leads", service::isLeader);
              Term term = service.census().term();

              CountDownLatch running = new CountDownLatch(1);
              AtomicReference<Term> seen = new AtomicReference<>();
              AtomicBoolean interrupted = new AtomicBoolean();
              AtomicBoolean ran = new AtomicBoolean();
              AtomicBoolean interruptLeftOver = new AtomicBoolean(true);
              Thread worker =
                  new Thread(
                      () -> {
                        ran.set(
                            leadership.runIfLeader(
                                lead -> {
                                  seen.set(lead.term());
                                  running.countDown();
                                  try {
                                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                                  } catch (InterruptedException e) {
                                    interrupted.set(true);
                                  }
                                }));
                        interruptLeftOver.set(Thread.currentThread().isInterrupted());
                      },
                      "leader-work");
              worker.start();
              assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
              assertThat(seen.get()).isEqualTo(term);

              service.yieldLeadership();
              ring.await("a stepped down", () -> !service.isLeader());
              worker.join(10_000);
              assertThat(worker.isAlive()).isFalse();
              assertThat(ran).isTrue();
              assertThat(interrupted).as("the task was interrupted").isTrue();
              assertThat(interruptLeftOver).as("the interrupt was cleared").isFalse();
              assertThat(leadership.currentLeadership()).isEmpty();
            });
  }

  @Test
  void leaderOnlyWorkWaitsForTheGroupToBeInitialised() {
    java.util.concurrent.atomic.AtomicInteger attempts =
        new java.util.concurrent.atomic.AtomicInteger();
    member("a")
        .withPropertyValues("habitat.service.topology=initializer")
        .withBean(
            InitHook.class,
            () ->
                lead -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("the first attempt fails");
                  }
                })
        .run(
            context -> {
              Service service = context.getBean(Service.class);
              HabitatLeadership leadership = context.getBean(HabitatLeadership.class);
              ring.await("a leads, its first init failed", () -> attempts.get() == 1);
              assertThat(service.isLeader()).isTrue();
              AtomicBoolean ran = new AtomicBoolean();
              assertThat(leadership.runIfLeader(lead -> ran.set(true))).isFalse();
              assertThat(ran).isFalse();

              ring.await("initialised", () -> service.census().initialisation().initialised());
              assertThat(leadership.runIfLeader(lead -> ran.set(true))).isTrue();
              assertThat(ran).isTrue();
            });
  }

  @Test
  void readinessStaysRefusingUntilTheGroupIsInitialised() {
    AtomicBoolean initRan = new AtomicBoolean();
    member("a")
        .withPropertyValues("habitat.service.topology=initializer")
        .withBean(InitHook.class, () -> lead -> initRan.set(true))
        .run(
            context -> {
              ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
              Service service = context.getBean(Service.class);
              LivenessState liveness = availability.getLivenessState();
              // What Spring Boot publishes once the application has started.
              AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(availability.getReadinessState())
                  .isEqualTo(ReadinessState.REFUSING_TRAFFIC);
              assertThat(initRan).isFalse();

              ring.await(
                  "the group is initialised", () -> service.ready().toCompletableFuture().isDone());
              assertThat(initRan).isTrue();
              ring.awaitEvents(
                  "events",
                  () -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(availability.getLivenessState()).isEqualTo(liveness);
            });
  }

  @Test
  void withTheGateOffReadinessFollowsSpringBootAlone() {
    member("a")
        .withPropertyValues(
            "habitat.service.topology=initializer", "habitat.readiness.enabled=false")
        .withBean(InitHook.class, () -> lead -> {})
        .withBean(HealthCheck.class, () -> HealthCheck.always(io.habitat.core.Health.CRITICAL))
        .run(
            context -> {
              AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
                  .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
            });
  }

  @Test
  void aDepartedServiceFailsItsReadinessAndItsHealth() {
    member("a")
        .withPropertyValues("habitat.service.topology=leader")
        .run(
            context -> {
              Service service = context.getBean(Service.class);
              ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
              HabitatHealthIndicator indicator = context.getBean(HabitatHealthIndicator.class);
              EventRecorder events = context.getBean(EventRecorder.class);
              AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
              ring.await("a leads", service::isLeader);
              ring.awaitEvents(
                  "events",
                  () -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

              service.depart(MemberId.of("a"));
              ring.await("a stopped", () -> service.census().role() == Role.STOPPED);
              ring.awaitEvents("events", () -> !events.events(ServiceFailedEvent.class).isEmpty());
              ring.awaitEvents(
                  "events",
                  () -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
              assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
              assertThat(events.events(ServiceFailedEvent.class).get(0).getError().getMessage())
                  .isNotBlank();
            });
  }

  @Test
  void theHealthIndicatorReportsTheGroup() {
    member("a")
        .withPropertyValues("habitat.service.topology=leader")
        .run(
            context -> {
              Service service = context.getBean(Service.class);
              ring.await("a leads", service::isLeader);
              Census census = service.census();
              org.springframework.boot.health.contributor.Health health =
                  context.getBean(HabitatHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsEntry("state", "started");
              @SuppressWarnings("unchecked")
              java.util.Map<String, java.util.Map<String, Object>> groups =
                  (java.util.Map<String, java.util.Map<String, Object>>)
                      java.util.Objects.requireNonNull(health.getDetails().get("groups"));
              assertThat(groups.get("orders.default"))
                  .containsEntry("member", "a")
                  .containsEntry("role", "leader")
                  .containsEntry("term", census.term().value())
                  .containsEntry("leader", "a");
            });
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }
}
