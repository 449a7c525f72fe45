package io.habitat.spring.autoconfigure;

import io.habitat.core.Census;
import io.habitat.core.GroupConfig;
import io.habitat.core.HabitatException;
import io.habitat.core.LeaderContext;
import io.habitat.core.LeaderInfo;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.ServiceListener;
import io.habitat.spring.event.CensusChangedEvent;
import io.habitat.spring.event.FollowerReconfiguredEvent;
import io.habitat.spring.event.GroupConfigChangedEvent;
import io.habitat.spring.event.LeadershipGrantedEvent;
import io.habitat.spring.event.LeadershipRevokedEvent;
import io.habitat.spring.event.ServiceFailedEvent;
import io.habitat.spring.event.ServiceReadyEvent;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes habitat's callbacks as Spring application events, one at a time and in order, on a
 * thread of its own, so that no listener runs on habitat's protocol or hook threads.
 */
final class HabitatEventDispatcher implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(HabitatEventDispatcher.class);

  private final ApplicationEventPublisher publisher;
  private final ExecutorService executor;
  private final Set<Service> attached = Collections.newSetFromMap(new IdentityHashMap<>());

  HabitatEventDispatcher(ApplicationEventPublisher publisher, String supervisorName) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    String threadName = supervisorName + "-spring-events";
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Publishes the service's leadership, census, start-up and failure as events, once per service
   * however often it is called. Call before the supervisor starts, or events may be missed.
   */
  void attach(Service service) {
    synchronized (attached) {
      if (!attached.add(service)) {
        return;
      }
    }
    service.addListener(
        new ServiceListener() {
          @Override
          public void elected(LeaderContext context) {
            publish(service, id -> new LeadershipGrantedEvent(service, id, context));
          }

          @Override
          public void revoked(LeaderContext context) {
            publish(service, id -> new LeadershipRevokedEvent(service, id, context));
          }

          @Override
          public void censusChanged(Census census) {
            publish(service, id -> new CensusChangedEvent(service, id, census));
          }

          @Override
          public void failed(HabitatException error) {
            publish(service, id -> new ServiceFailedEvent(service, id, error));
          }
        });
    service
        .ready()
        .thenAccept(census -> publish(service, id -> new ServiceReadyEvent(service, id, census)));
  }

  /** Publishes a reconfiguration of the service, from its reconfigure hook. */
  void reconfigured(Service service, LeaderInfo leader) {
    publish(service, id -> new FollowerReconfiguredEvent(service, id, leader));
  }

  /** Publishes a new group config of the service, from its group config hook. */
  void configChanged(Service service, GroupConfig config) {
    publish(service, id -> new GroupConfigChangedEvent(service, id, config));
  }

  private void publish(Service service, Function<MemberId, ApplicationEvent> event) {
    execute(
        () -> {
          ApplicationEvent e = event.apply(service.memberId());
          try {
            publisher.publishEvent(e);
          } catch (RuntimeException failure) {
            log.warn(
                "{}: a listener of {} threw; the next event is still published",
                service.group(),
                e.getClass().getSimpleName(),
                failure);
          }
        });
  }

  /** Runs the task on the events thread, after every event published before. */
  void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("habitat events are no longer published (the context is closed)");
    }
  }

  /**
   * Waits until every event submitted so far was published, at most {@code timeout}; events keep
   * flowing afterwards.
   */
  void drain(Duration timeout) {
    Future<?> marker;
    try {
      marker = executor.submit(() -> {});
    } catch (RejectedExecutionException e) {
      return;
    }
    try {
      marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("habitat events were still being published after {}; the rest may be lost", timeout);
    }
  }

  /** Stops publishing, after at most 5 s for the events already submitted. */
  @Override
  public void destroy() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
