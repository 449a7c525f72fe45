package io.habitat.core.internal;

import io.habitat.core.HabitatException;
import io.habitat.core.LocalStores;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.Supervisor;
import io.habitat.core.Timing;
import io.habitat.core.event.EventListener;
import io.habitat.core.event.HabitatEvent;
import io.habitat.core.internal.WireCodec.MalformedMessageException;
import io.habitat.core.spi.EventLoop;
import io.habitat.core.spi.LocalStore;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's machinery: it connects the transport to the event loop, routes each message to
 * its group's engine, drives the heartbeat tick, and owns the lifecycle. Everything that touches
 * protocol state runs on the loop.
 */
public final class SupervisorRuntime implements Transport.Receiver {
  private static final Logger log = LoggerFactory.getLogger(SupervisorRuntime.class);
  private static final long DEPART_AFTER_NANOS = Duration.ofDays(3).toNanos();
  private static final long DECODE_LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
  private static final long LEAVE_WAIT_NANOS = Duration.ofMillis(500).toNanos();
  private static final long HAND_OFF_WAIT_NANOS = Duration.ofSeconds(3).toNanos();

  private final String name;
  private final Transport transport;
  private final @Nullable LocalStore givenStore;
  private final @Nullable Path dataDirectory;
  private final EventLoop loop;
  private final boolean ownsLoop;
  private final Executor hookExecutor;
  private final @Nullable ExecutorService ownedHookPool;
  private final Timing timing;
  private final Set<GroupEngine.Mutation> mutations;

  private final AtomicReference<Supervisor.State> state =
      new AtomicReference<>(Supervisor.State.LATENT);
  private final Map<io.habitat.core.ServiceGroup, GroupRuntime> groups = new LinkedHashMap<>();
  private @Nullable LocalStore store;
  private volatile @Nullable RingAddress address;
  private @Nullable RingView view;
  private final MessageCounters counters = new MessageCounters();
  private final AtomicLong decodeErrors = new AtomicLong();
  private final AtomicLong hookFailures = new AtomicLong();
  private final int maxWireVersion;

  /** The newest protocol version each ring address wrote (loop only). */
  private final Map<RingAddress, Integer> peerVersions = new java.util.HashMap<>();

  /** The version sent to all: the oldest any live member writes (loop only). */
  private int ringVersion;

  private long ticks;

  /** How often (in heartbeat ticks) members that may read a newer version are probed. */
  private static final int VERSION_PROBE_TICKS = 20;

  private final AtomicLong hooksHung = new AtomicLong();
  private final List<EventListener> eventListeners = new CopyOnWriteArrayList<>();
  private final SerialExecutor events;
  private volatile Map<io.habitat.core.ServiceGroup, List<GroupRuntime>> binders = Map.of();
  private long lastDecodeLog = Long.MIN_VALUE;

  /** Builds the runtime; {@link Supervisor.Builder} is the public way in. */
  public SupervisorRuntime(
      String name,
      Transport transport,
      @Nullable LocalStore store,
      @Nullable Path dataDirectory,
      EventLoop loop,
      boolean ownsLoop,
      @Nullable Executor hookExecutor,
      Timing timing,
      Set<GroupEngine.Mutation> mutations) {
    this(
        name,
        transport,
        store,
        dataDirectory,
        loop,
        ownsLoop,
        hookExecutor,
        timing,
        mutations,
        WireCodec.VERSION);
  }

  /**
   * Builds a runtime that speaks at most protocol version {@code maxWireVersion} and reads nothing
   * newer, as a member of that older version would: the simulation and the upgrade tests run mixed
   * rings with it.
   */
  public SupervisorRuntime(
      String name,
      Transport transport,
      @Nullable LocalStore store,
      @Nullable Path dataDirectory,
      EventLoop loop,
      boolean ownsLoop,
      @Nullable Executor hookExecutor,
      Timing timing,
      Set<GroupEngine.Mutation> mutations,
      int maxWireVersion) {
    if (maxWireVersion < WireCodec.OLDEST_READABLE_VERSION || maxWireVersion > WireCodec.VERSION) {
      throw new IllegalArgumentException(
          "wire version must be between "
              + WireCodec.OLDEST_READABLE_VERSION
              + " and "
              + WireCodec.VERSION
              + ", was "
              + maxWireVersion);
    }
    this.maxWireVersion = maxWireVersion;
    this.name = name;
    this.transport = transport;
    this.givenStore = store;
    this.dataDirectory = dataDirectory;
    this.loop = loop;
    this.ownsLoop = ownsLoop;
    this.timing = timing;
    this.mutations = Set.copyOf(mutations);
    if (hookExecutor == null) {
      AtomicInteger n = new AtomicInteger();
      ExecutorService pool =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, name + "-hooks-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.ownedHookPool = pool;
      this.hookExecutor = pool;
    } else {
      this.ownedHookPool = null;
      this.hookExecutor = hookExecutor;
    }
    this.events = new SerialExecutor(this.hookExecutor, name + "/events");
  }

  // ------------------------------------------------------------ lifecycle (any thread)

  /** See {@link Supervisor#register}. */
  public synchronized Service register(ServiceConfig config) {
    if (current() == Supervisor.State.CLOSED) {
      throw new IllegalStateException("supervisor " + name + " is closed");
    }
    io.habitat.core.ServiceGroup key = config.group();
    if (groups.containsKey(key)) {
      throw new IllegalArgumentException(
          "this supervisor already runs a member of "
              + key
              + ": one member per group per supervisor; use another group or another supervisor");
    }
    GroupRuntime g = new GroupRuntime(this, config, hookExecutor);
    groups.put(key, g);
    Map<io.habitat.core.ServiceGroup, List<GroupRuntime>> index = new LinkedHashMap<>();
    for (GroupRuntime r : groups.values()) {
      for (io.habitat.core.Bind b : r.config().binds()) {
        index.computeIfAbsent(b.group(), k -> new ArrayList<>()).add(r);
      }
    }
    binders = Map.copyOf(index);
    if (current() == Supervisor.State.STARTED) {
      loop.execute(() -> startGroup(g));
    }
    return g;
  }

  /** See {@link Supervisor#start}. */
  public void start() {
    if (!state.compareAndSet(Supervisor.State.LATENT, Supervisor.State.STARTED)) {
      throw new IllegalStateException(
          "supervisor " + name + " cannot be started more than once (it is " + current() + ")");
    }
    try {
      store = givenStore != null ? givenStore : LocalStores.directory(requireDir());
      transport.start(this);
      address = transport.localAddress();
    } catch (RuntimeException e) {
      state.set(Supervisor.State.CLOSED);
      transport.close();
      if (store != null) {
        store.close();
      }
      throw e;
    }
    CountDownLatch started = new CountDownLatch(1);
    loop.execute(
        () -> {
          try {
            for (GroupRuntime g : groupsSnapshot()) {
              startGroup(g);
            }
            scheduleTick();
          } finally {
            started.countDown();
          }
        });
    if (!loop.isVirtual()) {
      // The transport delivered a view before it returned, so the groups start in this task;
      // waiting for it means memberId() and census() answer as soon as start() returns.
      try {
        if (!started.await(10, TimeUnit.SECONDS)) {
          log.warn("{}: the services took longer than 10 s to start", name);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** See {@link Supervisor#close}. */
  public void close() {
    Supervisor.State before =
        java.util.Objects.requireNonNull(state.getAndSet(Supervisor.State.CLOSED));
    if (before == Supervisor.State.CLOSED) {
      return;
    }
    if (before == Supervisor.State.LATENT) {
      transport.close();
      if (givenStore != null) {
        givenStore.close();
      }
      shutdownOwned();
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    Runnable finish =
        () -> {
          transport.close();
          LocalStore s = store;
          if (s != null) {
            s.close();
          }
          done.countDown();
        };
    loop.execute(
        () -> {
          try {
            long now = loop.nanoTime();
            for (GroupRuntime g : groupsSnapshot()) {
              g.beginLeave(now);
            }
            awaitHandOffs(now + HAND_OFF_WAIT_NANOS, finish);
          } catch (RuntimeException e) {
            finish.run();
            throw e;
          }
        });
    if (!loop.isVirtual()) {
      try {
        if (!done.await(8, TimeUnit.SECONDS)) {
          log.warn("{}: leaving the groups took longer than 8 s; closing anyway", name);
          transport.close();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    shutdownOwned();
  }

  /**
   * A leader that closes hands over first: its revoked hooks run before it says goodbye, so that
   * its successor never leads while they run (at most {@link #HAND_OFF_WAIT_NANOS}).
   */
  private void awaitHandOffs(long deadline, Runnable finish) {
    boolean any = false;
    for (GroupRuntime g : groupsSnapshot()) {
      any |= g.handingOff();
    }
    if (any && loop.nanoTime() - deadline < 0) {
      loop.schedule(Duration.ofMillis(5), () -> awaitHandOffs(deadline, finish));
      return;
    }
    long now = loop.nanoTime();
    for (GroupRuntime g : groupsSnapshot()) {
      g.leave(now);
    }
    awaitGoodbyes(now + LEAVE_WAIT_NANOS, finish);
  }

  /**
   * Closes the transport once every member has acknowledged the goodbyes (a send is asynchronous:
   * closing at once could drop them), or when the deadline passes.
   */
  private void awaitGoodbyes(long deadline, Runnable finish) {
    boolean all = true;
    for (GroupRuntime g : groupsSnapshot()) {
      all &= g.leaveAcknowledged();
    }
    if (all || loop.nanoTime() - deadline >= 0) {
      finish.run();
      return;
    }
    loop.schedule(Duration.ofMillis(5), () -> awaitGoodbyes(deadline, finish));
  }

  private void shutdownOwned() {
    if (ownsLoop) {
      loop.close();
    }
    ExecutorService pool = ownedHookPool;
    if (pool != null) {
      pool.shutdown();
      try {
        if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("{}: hooks still running 5 s after close; interrupting them", name);
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The lifecycle state. */
  public Supervisor.State state() {
    return current();
  }

  private Supervisor.State current() {
    return java.util.Objects.requireNonNull(state.get());
  }

  /** The registered services. */
  public synchronized List<Service> services() {
    return List.copyOf(groups.values());
  }

  /** The ring address. */
  public RingAddress address() {
    RingAddress a = address;
    if (a == null) {
      throw new IllegalStateException("supervisor " + name + " has not started");
    }
    return a;
  }

  /**
   * The engine of one group, for the simulation's invariant checks. Call only on the loop.
   *
   * @throws IllegalArgumentException if no such group runs here
   * @throws IllegalStateException if it has not started
   */
  public GroupEngine engine(io.habitat.core.ServiceGroup group) {
    GroupRuntime g;
    synchronized (this) {
      g = groups.get(group);
    }
    if (g == null) {
      throw new IllegalArgumentException("no member of " + group + " runs here");
    }
    return g.engine();
  }

  /** Whether the group's member has started (its first view arrived). */
  public synchronized boolean started(io.habitat.core.ServiceGroup group) {
    GroupRuntime g = groups.get(group);
    return g != null && g.started();
  }

  /** Messages sent and received, by type. */
  public MessageCounters counters() {
    return counters;
  }

  /** Messages that could not be decoded and were dropped. */
  public long decodeErrors() {
    return decodeErrors.get();
  }

  /** Hooks that threw, over all services. */
  public long hookFailures() {
    return hookFailures.get();
  }

  /** Hooks reported as hung, over all services. */
  public long hooksHung() {
    return hooksHung.get();
  }

  /** See {@link Supervisor#addEventListener}. */
  public void addEventListener(EventListener listener) {
    eventListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  void publish(HabitatEvent event) {
    if (event instanceof HabitatEvent.HookFailed) {
      hookFailures.incrementAndGet();
    }
    if (eventListeners.isEmpty()) {
      return;
    }
    events.execute(
        () -> {
          for (EventListener l : eventListeners) {
            try {
              l.onEvent(event);
            } catch (RuntimeException e) {
              log.warn("{}: an event listener failed on {}", name, event, e);
            }
          }
        });
  }

  void hookHung() {
    hooksHung.incrementAndGet();
  }

  /** A local member published its census: the services that bind to its group see it too. */
  void localCensus(io.habitat.core.Census census) {
    for (GroupRuntime g : binders.getOrDefault(census.group(), List.of())) {
      g.onBoundLocalCensus(census);
    }
  }

  /** The census this supervisor's own member of the group last published, or null if none. */
  io.habitat.core.@Nullable Census publishedCensus(io.habitat.core.ServiceGroup group) {
    GroupRuntime g;
    synchronized (this) {
      g = groups.get(group);
    }
    return g == null ? null : g.publishedCensus();
  }

  boolean closing() {
    return current() != Supervisor.State.STARTED;
  }

  String name() {
    return name;
  }

  // ------------------------------------------------------------ transport side (any thread)

  @Override
  public void onView(RingView view) {
    loop.execute(
        () -> {
          this.view = view;
          if (peerVersions.keySet().removeIf(a -> !view.contains(a))) {
            recomputeRingVersion();
          }
          if (current() != Supervisor.State.STARTED) {
            return;
          }
          long now = loop.nanoTime();
          for (GroupRuntime g : groupsSnapshot()) {
            if (g.started()) {
              g.onView(now, view);
            } else {
              startGroup(g);
            }
          }
        });
  }

  @Override
  public void onMessage(RingAddress from, byte[] message) {
    loop.execute(() -> dispatch(from, message));
  }

  private void dispatch(RingAddress from, byte[] message) {
    // While closing, acknowledgements of our goodbyes still matter; the transport stops delivery
    // once it is closed.
    if (current() == Supervisor.State.LATENT) {
      return;
    }
    Wire.Envelope env;
    try {
      env = WireCodec.decode(message);
      int version = WireCodec.versionOf(message);
      if (version > maxWireVersion) {
        throw new MalformedMessageException(
            "protocol version "
                + version
                + " is not readable here (reads up to "
                + maxWireVersion
                + ")");
      }
      // The newest version an address ever wrote is what it reads: a current member that speaks
      // an old version for an old member's sake is still a current member.
      Integer before = peerVersions.get(from);
      if (before == null || version > before) {
        peerVersions.put(from, version);
        recomputeRingVersion();
      }
    } catch (MalformedMessageException bad) {
      long n = decodeErrors.incrementAndGet();
      long now = loop.nanoTime();
      if (lastDecodeLog == Long.MIN_VALUE || now - lastDecodeLog > DECODE_LOG_INTERVAL_NANOS) {
        lastDecodeLog = now;
        log.warn(
            "{}: dropped a malformed message from {} ({}); {} dropped so far",
            name,
            from,
            bad.getMessage(),
            n);
      }
      return;
    }
    counters.received(env.body());
    GroupRuntime g;
    synchronized (this) {
      g = groups.get(env.group());
    }
    if (g != null && g.started()) {
      g.onMessage(loop.nanoTime(), from, env);
    }
    for (GroupRuntime b : binders.getOrDefault(env.group(), List.of())) {
      b.onBoundMessage(loop.nanoTime(), from, env);
    }
  }

  // ------------------------------------------------------------ loop side

  private void startGroup(GroupRuntime g) {
    RingView v = view;
    RingAddress a = address;
    if (v == null || a == null || current() != Supervisor.State.STARTED || g.started()) {
      return;
    }
    try {
      g.start(loop.nanoTime(), loop.currentTimeMillis(), a, v);
    } catch (HabitatException e) {
      log.error("{}: {} could not start: {}", name, g.group(), e.getMessage());
      throw e;
    }
  }

  private void scheduleTick() {
    loop.schedule(
        timing.heartbeatInterval(),
        () -> {
          if (current() != Supervisor.State.STARTED) {
            return;
          }
          long now = loop.nanoTime();
          for (GroupRuntime g : groupsSnapshot()) {
            if (g.started()) {
              g.onTick(now);
            }
          }
          if (++ticks % VERSION_PROBE_TICKS == 0) {
            probeVersions();
          }
          scheduleTick();
        });
  }

  /**
   * While the ring speaks an older version, asks each member not known to read ours, in our
   * version, for its exports: a current member answers (and so shows it reads our version), an old
   * one drops the request as unreadable. Without it, two current members that met while an old
   * member was alive would speak the old version to each other for ever.
   */
  private void probeVersions() {
    RingView v = view;
    RingAddress self = address;
    if (v == null || self == null || ringVersion() >= maxWireVersion) {
      return;
    }
    GroupRuntime any = null;
    for (GroupRuntime g : groupsSnapshot()) {
      if (g.started()) {
        any = g;
        break;
      }
    }
    if (any == null) {
      return;
    }
    byte[] probe =
        WireCodec.encode(
            new Wire.Envelope(
                any.group(), any.memberId(), any.incarnation(), new Wire.ExportsRequest()),
            maxWireVersion);
    for (RingAddress a : v.members()) {
      Integer known = peerVersions.get(a);
      if (!a.equals(self) && (known == null || known < maxWireVersion)) {
        transport.send(a, probe);
      }
    }
  }

  void send(RingAddress to, Wire.Envelope env) {
    Integer known = peerVersions.get(to);
    int version = known == null ? ringVersion() : Math.min(known, maxWireVersion);
    if (!WireCodec.supports(env.body(), version)) {
      return;
    }
    counters.sent(env.body(), 1);
    transport.send(to, WireCodec.encode(env, version));
  }

  void sendToAll(Wire.Envelope env) {
    int version = ringVersion();
    if (!WireCodec.supports(env.body(), version)) {
      // An older member could not read it; the newer ones do without until it is gone.
      return;
    }
    RingView v = view;
    counters.sent(env.body(), v == null ? 0 : Math.max(0, v.members().size() - 1));
    transport.sendToAll(WireCodec.encode(env, version));
  }

  private int ringVersion() {
    return ringVersion == 0 ? maxWireVersion : ringVersion;
  }

  private void recomputeRingVersion() {
    int before = ringVersion();
    int v = maxWireVersion;
    for (int p : peerVersions.values()) {
      v = Math.min(v, p);
    }
    ringVersion = v;
    if (v != before) {
      log.info(
          "{}: speaking protocol version {} to all (the oldest a live member of the ring speaks)",
          name,
          v);
    }
  }

  /** The protocol version this supervisor sends to all (for tests and diagnostics; loop only). */
  public int wireVersion() {
    return ringVersion();
  }

  synchronized List<GroupRuntime> groupsSnapshot() {
    return new ArrayList<>(groups.values());
  }

  LocalStore store() {
    LocalStore s = store;
    if (s == null) {
      throw new IllegalStateException("supervisor " + name + " has not started");
    }
    return s;
  }

  EventLoop loop() {
    return loop;
  }

  Timing timing() {
    return timing;
  }

  long departAfterNanos() {
    return DEPART_AFTER_NANOS;
  }

  Set<GroupEngine.Mutation> mutations() {
    return mutations;
  }

  @Nullable RingAddress addressOrNull() {
    return address;
  }

  private Path requireDir() {
    Path d = dataDirectory;
    if (d == null) {
      throw new IllegalStateException("no data directory and no store");
    }
    return d;
  }
}
