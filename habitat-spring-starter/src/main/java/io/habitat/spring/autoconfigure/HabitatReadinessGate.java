package io.habitat.spring.autoconfigure;

import io.habitat.core.HabitatException;
import io.habitat.core.Service;
import io.habitat.core.ServiceListener;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Keeps the application's readiness at {@link ReadinessState#REFUSING_TRAFFIC} until the service
 * has finished start-up ({@link Service#ready()}), and turns it back to refusing when the service
 * fails. Spring Boot declares the application ready ({@code ApplicationReadyEvent}, then {@link
 * ReadinessState#ACCEPTING_TRAFFIC}) when start-up ends; while the gate is closed this listener
 * answers that with {@code REFUSING_TRAFFIC} at once, and publishes {@code ACCEPTING_TRAFFIC}
 * itself when the gate opens. Liveness is never touched.
 *
 * <p>It runs after Spring Boot's {@link ApplicationAvailability} bean records each change (it
 * depends on that bean, so it is registered as a listener after it, at the same order), so its
 * answer is the state that bean keeps.
 */
final class HabitatReadinessGate
    implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

  private static final Logger log = LoggerFactory.getLogger(HabitatReadinessGate.class);

  private final Service service;
  private final ApplicationAvailability availability;
  private final ApplicationEventPublisher publisher;

  /** Whether Spring Boot declared the application ready (and has not withdrawn it). */
  private boolean applicationReady;

  private boolean open;
  private boolean failed;

  HabitatReadinessGate(
      Service service,
      ApplicationAvailability availability,
      ApplicationEventPublisher publisher,
      HabitatEventDispatcher events) {
    this.service = Objects.requireNonNull(service, "service");
    this.availability = Objects.requireNonNull(availability, "availability");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    Objects.requireNonNull(events, "events");
    service.ready().thenAccept(census -> events.execute(this::open));
    service.addListener(
        new ServiceListener() {
          @Override
          public void failed(HabitatException error) {
            events.execute(HabitatReadinessGate.this::fail);
          }
        });
  }

  @Override
  public synchronized void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
    if (event.getSource() == this) {
      return;
    }
    applicationReady = event.getState() == ReadinessState.ACCEPTING_TRAFFIC;
    if (applicationReady && (!open || failed)) {
      log.info(
          "{}: readiness stays {} until the service has finished start-up{}",
          service.group(),
          ReadinessState.REFUSING_TRAFFIC,
          service.topology().electsLeader()
              ? " (the group has a leader" + initialised() + ")"
              : "");
      AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
    }
  }

  private String initialised() {
    return service.census().initialisation().required() ? " and is initialised" : "";
  }

  /** Whether the gate is open: the service has finished start-up and has not failed. */
  synchronized boolean isOpen() {
    return open && !failed;
  }

  private synchronized void open() {
    if (failed || open) {
      return;
    }
    open = true;
    if (applicationReady) {
      log.info(
          "{}: the service finished start-up; readiness turns {}",
          service.group(),
          ReadinessState.ACCEPTING_TRAFFIC);
      AvailabilityChangeEvent.publish(publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
    }
  }

  private synchronized void fail() {
    if (failed) {
      return;
    }
    failed = true;
    if (availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC) {
      log.warn(
          "{}: the service failed; readiness turns {}",
          service.group(),
          ReadinessState.REFUSING_TRAFFIC);
      AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
    }
  }
}
