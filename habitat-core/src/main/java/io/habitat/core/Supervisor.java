package io.habitat.core;

import io.habitat.core.event.EventListener;
import io.habitat.core.internal.MessageCounters;
import io.habitat.core.internal.SupervisorRuntime;
import io.habitat.core.spi.EventLoop;
import io.habitat.core.spi.EventLoops;
import io.habitat.core.spi.LocalStore;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.Transport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The library's runtime inside one JVM: one ring connection (a {@link Transport}), one protocol
 * thread (an {@link EventLoop}), one data directory (a {@link LocalStore}), and any number of
 * services, each in its own group.
 *
 * <pre>{@code
 * try (Supervisor supervisor = Supervisor.builder()
 *         .transport(JGroupsTransport.builder().ringName("shop").preset(Preset.LOOPBACK).build())
 *         .dataDirectory(Path.of("/var/lib/myapp/habitat"))
 *         .build()) {
 *   Service db = supervisor.register(ServiceConfig.builder(ServiceGroup.parse("postgres.main"))
 *       .topology(Topology.LEADER).build());
 *   supervisor.start();
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> {@code LATENT} until {@link #start()} (once only), then {@code STARTED}
 * until {@link #close()}, which is idempotent and leaves every group gracefully. Methods are
 * thread-safe.
 */
public final class Supervisor implements AutoCloseable {

  /** The supervisor's lifecycle. */
  public enum State {
    /** Built, not started; services may be registered. */
    LATENT,
    /** Connected to the ring. */
    STARTED,
    /** Closed; it cannot be started again. */
    CLOSED
  }

  private final SupervisorRuntime runtime;

  private Supervisor(SupervisorRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Adds a listener for this supervisor's events (leadership, failovers, failed elections and
   * hooks). Events are delivered on the supervisor's event thread, in order, never on the protocol
   * thread; see {@link EventListener}.
   */
  public void addEventListener(EventListener listener) {
    runtime.addEventListener(listener);
  }

  /**
   * Protocol messages this supervisor sent, by type (a message to all counts once per recipient).
   * The keys are the message types; the counts only grow. Safe from any thread.
   */
  public Map<String, Long> messagesSent() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String t : MessageCounters.types()) {
      out.put(t, runtime.counters().sent(t));
    }
    return out;
  }

  /** Protocol messages this supervisor received, by type; see {@link #messagesSent()}. */
  public Map<String, Long> messagesReceived() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String t : MessageCounters.types()) {
      out.put(t, runtime.counters().received(t));
    }
    return out;
  }

  /** Messages dropped because they could not be decoded (foreign or corrupt traffic). */
  public long decodeErrors() {
    return runtime.decodeErrors();
  }

  /** Hooks of all services that threw. */
  public long hookFailures() {
    return runtime.hookFailures();
  }

  /** Hooks of all services reported as hung (past their timeout). */
  public long hooksHung() {
    return runtime.hooksHung();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds a service. Before {@link #start()} it joins at start; after, it joins at once.
   *
   * @throws IllegalArgumentException if this supervisor already runs a member of that group
   * @throws IllegalStateException if the supervisor is closed
   */
  public Service register(ServiceConfig config) {
    return runtime.register(config);
  }

  /**
   * Connects to the ring and starts every registered service. Blocks until the transport is
   * connected.
   *
   * @throws IllegalStateException if called more than once
   * @throws HabitatException if the ring or the data directory cannot be used, saying why
   */
  public void start() {
    runtime.start();
  }

  /**
   * Leaves every group gracefully, then disconnects and releases the data directory. A leader hands
   * off first: its revoked hooks run (at most 3 s) before its successor may claim. Then every
   * member this one has heard from gets a goodbye and acknowledges it (at most 500 ms), so it
   * leaves their census at once. A member it has not heard from yet (it closes within a heartbeat
   * of starting) learns of the departure from the ring's view, as for a crash. Idempotent; blocks
   * for at most about 8 s on a real-time loop, not at all on a virtual one.
   */
  @Override
  public void close() {
    runtime.close();
  }

  /** The lifecycle state. */
  public State state() {
    return runtime.state();
  }

  /** The registered services. */
  public List<Service> services() {
    return runtime.services();
  }

  /**
   * This supervisor's ring address.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public RingAddress address() {
    return runtime.address();
  }

  /** Builds a {@link Supervisor}. Each option may be set once. Not thread-safe. */
  public static final class Builder {
    private @Nullable Transport transport;
    private @Nullable LocalStore store;
    private @Nullable Path dataDirectory;
    private @Nullable EventLoop eventLoop;
    private @Nullable Executor hookExecutor;
    private Timing timing = Timing.defaults();
    private String name = "habitat";

    private Builder() {}

    /** The ring connection. Required; the supervisor owns it and closes it. */
    public Builder transport(Transport transport) {
      requireUnset(this.transport, "transport");
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** The data directory, locked while the supervisor runs. Either this or {@link #store}. */
    public Builder dataDirectory(Path directory) {
      requireUnset(this.dataDirectory, "dataDirectory");
      requireUnset(this.store, "store");
      this.dataDirectory = Objects.requireNonNull(directory, "dataDirectory");
      return this;
    }

    /** A store of durable state other than a directory (tests, simulation). */
    public Builder store(LocalStore store) {
      requireUnset(this.store, "store");
      requireUnset(this.dataDirectory, "dataDirectory");
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The protocol thread and clock; by default a new real-time loop the supervisor owns. */
    public Builder eventLoop(EventLoop eventLoop) {
      requireUnset(this.eventLoop, "eventLoop");
      this.eventLoop = Objects.requireNonNull(eventLoop, "eventLoop");
      return this;
    }

    /**
     * Where listeners and hooks run; each service runs its own one at a time on it. By default a
     * pool of daemon threads the supervisor owns.
     */
    public Builder hookExecutor(Executor executor) {
      requireUnset(this.hookExecutor, "hookExecutor");
      this.hookExecutor = Objects.requireNonNull(executor, "hookExecutor");
      return this;
    }

    /** The protocol's timing; {@link Timing#defaults()} by default. */
    public Builder timing(Timing timing) {
      this.timing = Objects.requireNonNull(timing, "timing");
      return this;
    }

    /** A name for threads and logs; {@code habitat} by default. */
    public Builder name(String name) {
      if (name == null || name.isBlank() || name.length() > 64) {
        throw new IllegalArgumentException("name must be 1 to 64 characters, was '" + name + "'");
      }
      this.name = name;
      return this;
    }

    /**
     * The supervisor, not yet started.
     *
     * @throws IllegalStateException if no transport or no data directory/store was given
     */
    public Supervisor build() {
      if (transport == null) {
        throw new IllegalStateException(
            "no transport: call transport(...), e.g. with JGroupsTransport from habitat-jgroups");
      }
      if (store == null && dataDirectory == null) {
        throw new IllegalStateException(
            "no data directory: call dataDirectory(path) (each member needs its own), or store(...)");
      }
      EventLoop given = eventLoop;
      boolean ownsLoop = given == null;
      EventLoop loop = given == null ? EventLoops.realTime(name + "-protocol") : given;
      return new Supervisor(
          new SupervisorRuntime(
              name,
              transport,
              store,
              dataDirectory,
              loop,
              ownsLoop,
              hookExecutor,
              timing,
              java.util.Set.of()));
    }

    private static void requireUnset(@Nullable Object value, String what) {
      if (value != null) {
        throw new IllegalStateException(what + " was already set");
      }
    }
  }
}
