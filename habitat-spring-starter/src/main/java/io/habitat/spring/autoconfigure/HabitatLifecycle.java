package io.habitat.spring.autoconfigure;

import io.habitat.core.HabitatException;
import io.habitat.core.Service;
import io.habitat.core.Supervisor;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Makes the habitat {@link Supervisor} follow the application context: {@link #start()} joins the
 * ring (the supervisor's services join their groups), {@link #stop()} leaves gracefully ({@link
 * Supervisor#close()}: a leader hands off before its successor claims).
 *
 * <p><b>Start.</b> Joining the ring blocks for about the stack's join timeout (300 ms for the
 * loopback preset, 1 s for the others), and start-up fails at once if the ring or the data
 * directory cannot be used. It does not wait for an election or for the group's initialisation: the
 * readiness gate holds traffic back instead. With {@code habitat.startup.wait-for-ready=true} it
 * blocks until the service has finished start-up ({@link Service#awaitReady}), and fails start-up
 * with a {@link HabitatStartupException} after {@code habitat.startup.timeout}. A supervisor the
 * application already started is not started again.
 *
 * <p><b>Phase.</b> {@value #DEFAULT_PHASE} by default ({@code habitat.startup.phase}): below the
 * web server's phases, so the supervisor starts before the web server and stops after the web
 * server's graceful shutdown, while requests in flight still see their leader. {@code @Scheduled}
 * methods start after every lifecycle bean and stop before, so leader-only work is stopped before
 * the hand-off.
 *
 * <p><b>Stop.</b> Blocks until the supervisor has left its groups (at most about 8 s) and the
 * events that produced were published (at most 10 s more). A supervisor closes once: starting this
 * lifecycle again after a stop throws {@link IllegalStateException}.
 *
 * <p>Thread-safe: start and stop are serialised.
 */
public final class HabitatLifecycle implements SmartLifecycle {

  /** The default phase: 4096 below the phases Spring Boot's web servers use. */
  public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger log = LoggerFactory.getLogger(HabitatLifecycle.class);

  private static final Duration EVENT_DRAIN = Duration.ofSeconds(10);

  private final Supervisor supervisor;
  private final @Nullable Service service;
  private final HabitatProperties.Startup startup;
  private final HabitatEventDispatcher events;
  private boolean running;
  private boolean stopped;

  HabitatLifecycle(
      Supervisor supervisor,
      @Nullable Service service,
      HabitatProperties.Startup startup,
      HabitatEventDispatcher events) {
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    this.service = service;
    this.startup = Objects.requireNonNull(startup, "startup");
    this.events = Objects.requireNonNull(events, "events");
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    if (stopped) {
      throw new IllegalStateException(
          "the habitat supervisor was stopped and cannot start again (a supervisor runs once):"
              + " refresh a new application context instead");
    }
    if (supervisor.state() == Supervisor.State.LATENT) {
      try {
        supervisor.start();
      } catch (HabitatException e) {
        throw new HabitatStartupException(
            "habitat could not join its ring: " + e.getMessage(),
            "Check the habitat.ring.* properties and habitat.data-directory (each member needs a"
                + " data directory of its own), then start again.",
            e);
      }
    }
    running = true;
    Service s = service;
    if (startup.isWaitForReady() && s != null) {
      awaitReady(s, startup.getTimeout());
    }
  }

  private static void awaitReady(Service service, Duration timeout) {
    log.info(
        "{}: waiting up to {} for the service to finish start-up (habitat.startup.wait-for-ready)",
        service.group(),
        timeout);
    try {
      service.awaitReady(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HabitatStartupException(
          "interrupted while waiting for " + service.group() + " to finish start-up",
          "Nothing to fix unless something interrupts start-up on purpose.",
          e);
    } catch (HabitatException e) {
      throw new HabitatStartupException(
          service.group()
              + " did not finish start-up within habitat.startup.timeout ("
              + timeout
              + "): "
              + e.getMessage(),
          "Start enough members to elect a leader (habitat.service.bootstrap-size), check that"
              + " they share habitat.ring.name and can reach each other, or raise"
              + " habitat.startup.timeout; or set habitat.startup.wait-for-ready=false to start at"
              + " once and let the readiness gate hold traffic back.",
          e);
    }
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    stopped = true;
    supervisor.close();
    events.drain(EVENT_DRAIN);
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  @Override
  public boolean isAutoStartup() {
    return startup.isAutoStartup();
  }

  @Override
  public int getPhase() {
    return startup.getPhase();
  }
}
