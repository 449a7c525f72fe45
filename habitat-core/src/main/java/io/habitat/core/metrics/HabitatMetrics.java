package io.habitat.core.metrics;

import io.habitat.core.MemberState;
import io.habitat.core.Service;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.event.HabitatEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Micrometer meters for one {@link Supervisor}, built on its public API only (its services, their
 * census, and its events).
 *
 * <pre>{@code
 * new HabitatMetrics(supervisor).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>What</th></tr>
 *   <tr><td>{@code habitat.elections}</td><td>counter</td><td>{@code group}, {@code
 *       outcome=won|lost}</td><td>this member's claims to lead that succeeded
 *       ({@link HabitatEvent.LeaderElected}) or failed ({@link HabitatEvent.ElectionLost})</td></tr>
 *   <tr><td>{@code habitat.leader}</td><td>gauge</td><td>{@code group}</td><td>1 while this member
 *       leads the group ({@link Service#isLeader()}), else 0</td></tr>
 *   <tr><td>{@code habitat.term}</td><td>gauge</td><td>{@code group}</td><td>the term this member
 *       holds ({@link io.habitat.core.Census#term()})</td></tr>
 *   <tr><td>{@code habitat.members}</td><td>gauge</td><td>{@code group}, {@code
 *       state=alive|suspect|confirmed|departed}</td><td>the members of this member's census in
 *       that state</td></tr>
 *   <tr><td>{@code habitat.failover}</td><td>timer</td><td>{@code group}</td><td>how long the group
 *       was without a leader, as this member saw it ({@link
 *       HabitatEvent.LeaderChanged#failover()}, when it has one)</td></tr>
 *   <tr><td>{@code habitat.messages}</td><td>function counter</td><td>{@code type}, {@code
 *       direction=sent|received}</td><td>protocol messages, by type ({@link
 *       Supervisor#messagesSent()}, {@link Supervisor#messagesReceived()})</td></tr>
 *   <tr><td>{@code habitat.decode.errors}</td><td>function counter</td><td></td><td>messages
 *       dropped because they could not be decoded ({@link Supervisor#decodeErrors()})</td></tr>
 *   <tr><td>{@code habitat.hook.failures}</td><td>counter</td><td>{@code group}, {@code hook},
 *       {@code kind=failed|hung}</td><td>hooks that threw ({@link HabitatEvent.HookFailed}) or
 *       were reported as hung ({@link HabitatEvent.HookHung})</td></tr>
 * </table>
 *
 * <p>Every meter also carries the extra tags given to the constructor. {@code group} is the group's
 * text form ({@code service.group} or {@code service.group@organization}); {@code hook} is the
 * hook's name as the events give it ({@code elected}, {@code revoked}, {@code init}, {@code
 * health}, ...). Counters fed by events count from the first {@link #bindTo}: events that happened
 * before are not counted. The election counters and the failover timer of an electing group, and
 * the gauges of every group, exist from the moment the group is known, so they read 0 rather than
 * being absent; a hook failure counter appears with the first failure of that hook.
 *
 * <p><b>Services registered later.</b> The per-group meters of the services the supervisor has at
 * {@link #bindTo} are registered there. A service registered after that gets its meters when this
 * binder next notices it: on the supervisor's next event, or the next time a registry reads {@code
 * habitat.messages} or {@code habitat.decode.errors}, which a registry does on every publish or
 * scrape. So a new service's meters appear by the next publish after it was registered (they may
 * miss the publish that noticed it).
 *
 * <p><b>Threads.</b> Thread-safe. {@link #bindTo} may be called from any thread, once per registry
 * (a second call for the same registry does nothing); it does not block beyond registering meters.
 * Gauges and function counters read the supervisor's latest published state without blocking, on
 * whatever thread the registry reads them. Event-fed meters are updated on the supervisor's event
 * thread, in event order; a registry may read them a moment before an event that already happened
 * reached them. A binder holds on to its supervisor; its meters stay registered after the
 * supervisor closes and then read the last state.
 */
public final class HabitatMetrics implements MeterBinder {

  private final Supervisor supervisor;
  private final Tags tags;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

  /** The groups whose meters each registry has, by registry (identity). */
  private final Map<MeterRegistry, Set<ServiceGroup>> known = new ConcurrentHashMap<>();

  private final AtomicBoolean listening = new AtomicBoolean();

  /** Meters for the supervisor, without extra tags. */
  public HabitatMetrics(Supervisor supervisor) {
    this(supervisor, Tags.empty());
  }

  /**
   * Meters for the supervisor, each with the extra tags (for example the application's name, when
   * several supervisors share a registry).
   */
  public HabitatMetrics(Supervisor supervisor, Iterable<Tag> tags) {
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  /**
   * Registers the meters of the class comment with the registry and starts listening to the
   * supervisor's events (once, on the first call). Idempotent per registry.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (known.putIfAbsent(registry, ConcurrentHashMap.newKeySet()) != null) {
      return;
    }
    // The listener keeps this binder (and so its function counters' source) reachable from the
    // supervisor.
    if (listening.compareAndSet(false, true)) {
      supervisor.addEventListener(this::onEvent);
    }
    for (String type : supervisor.messagesSent().keySet()) {
      FunctionCounter.builder("habitat.messages", this, m -> m.sent(type))
          .tags(tags)
          .tags("type", type, "direction", "sent")
          .description("Protocol messages sent, by type (a message to all counts per recipient)")
          .baseUnit("messages")
          .register(registry);
      FunctionCounter.builder("habitat.messages", this, m -> m.received(type))
          .tags(tags)
          .tags("type", type, "direction", "received")
          .description("Protocol messages received, by type")
          .baseUnit("messages")
          .register(registry);
    }
    FunctionCounter.builder("habitat.decode.errors", this, HabitatMetrics::decodeErrors)
        .tags(tags)
        .description("Messages dropped because they could not be decoded")
        .baseUnit("messages")
        .register(registry);
    registries.add(registry);
    refresh();
  }

  private double sent(String type) {
    refresh();
    return supervisor.messagesSent().getOrDefault(type, 0L);
  }

  private double received(String type) {
    refresh();
    return supervisor.messagesReceived().getOrDefault(type, 0L);
  }

  private double decodeErrors() {
    refresh();
    return supervisor.decodeErrors();
  }

  /** Registers the per-group meters of services no registry has yet. */
  private void refresh() {
    List<Service> services = null;
    for (MeterRegistry registry : registries) {
      Set<ServiceGroup> groups = known.get(registry);
      if (groups == null) {
        continue;
      }
      if (services == null) {
        services = supervisor.services();
      }
      if (groups.size() == services.size()) {
        continue;
      }
      for (Service service : services) {
        if (groups.add(service.group())) {
          registerGroup(registry, service);
        }
      }
    }
  }

  private void registerGroup(MeterRegistry registry, Service service) {
    String group = service.group().toString();
    Gauge.builder("habitat.leader", service, s -> s.isLeader() ? 1 : 0)
        .tags(tags)
        .tag("group", group)
        .description("1 while this member leads the group, else 0")
        .strongReference(true)
        .register(registry);
    Gauge.builder("habitat.term", service, s -> s.census().term().value())
        .tags(tags)
        .tag("group", group)
        .description("The term this member holds")
        .strongReference(true)
        .register(registry);
    for (MemberState state : MemberState.values()) {
      Gauge.builder("habitat.members", service, s -> count(s, state))
          .tags(tags)
          .tag("group", group)
          .tag("state", state.configName())
          .description("Members of this member's census, by state")
          .baseUnit("members")
          .strongReference(true)
          .register(registry);
    }
    if (service.topology().electsLeader()) {
      elections(registry, group, "won");
      elections(registry, group, "lost");
      failover(registry, group);
    }
  }

  private static long count(Service service, MemberState state) {
    return service.census().members().stream().filter(m -> m.state() == state).count();
  }

  private void onEvent(HabitatEvent event) {
    refresh();
    String group = event.group().toString();
    for (MeterRegistry registry : registries) {
      if (event instanceof HabitatEvent.LeaderElected) {
        elections(registry, group, "won").increment();
      } else if (event instanceof HabitatEvent.ElectionLost) {
        elections(registry, group, "lost").increment();
      } else if (event instanceof HabitatEvent.LeaderChanged changed) {
        Duration failover = changed.failover();
        if (failover != null) {
          failover(registry, group).record(failover);
        }
      } else if (event instanceof HabitatEvent.HookFailed failed) {
        hookFailures(registry, group, failed.hook(), "failed").increment();
      } else if (event instanceof HabitatEvent.HookHung hung) {
        hookFailures(registry, group, hung.hook(), "hung").increment();
      }
    }
  }

  private Counter elections(MeterRegistry registry, String group, String outcome) {
    return Counter.builder("habitat.elections")
        .tags(tags)
        .tag("group", group)
        .tag("outcome", outcome)
        .description("This member's claims to lead, by outcome")
        .baseUnit("elections")
        .register(registry);
  }

  private Timer failover(MeterRegistry registry, String group) {
    return Timer.builder("habitat.failover")
        .tags(tags)
        .tag("group", group)
        .description("How long the group was without a leader, as this member saw it")
        .register(registry);
  }

  private Counter hookFailures(MeterRegistry registry, String group, String hook, String kind) {
    return Counter.builder("habitat.hook.failures")
        .tags(tags)
        .tag("group", group)
        .tag("hook", hook)
        .tag("kind", kind)
        .description("Hooks that threw (failed) or ran past their timeout (hung)")
        .register(registry);
  }
}
