package io.habitat.core.internal;

import io.habitat.core.Bind;
import io.habitat.core.BoundGroup;
import io.habitat.core.Census;
import io.habitat.core.ConfigFormat;
import io.habitat.core.ElectionStatus;
import io.habitat.core.Exports;
import io.habitat.core.GroupConfig;
import io.habitat.core.HabitatException;
import io.habitat.core.Health;
import io.habitat.core.HealthCheck;
import io.habitat.core.LeaderContext;
import io.habitat.core.LeaderInfo;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Role;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.SuitabilityHook;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.event.HabitatEvent;
import io.habitat.core.internal.Wire.Body;
import io.habitat.core.spi.MemberRecord;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One service's runtime: its engine, its hooks, its start-up gate and its binds. Engine methods and
 * every field without {@code volatile} belong to the supervisor's loop; hooks run on the service's
 * {@link HookRunner}; the {@link Service} methods are safe from any thread.
 *
 * <p>After each protocol step the runtime compares the engine's state with what it last acted on
 * and turns the differences into hooks: a new leader reconfigures followers, a newer group config
 * calls the config hook, an initialised group releases the start-up gate.
 */
final class GroupRuntime implements Service, GroupEngine.Effects {
  private static final Logger log = LoggerFactory.getLogger(GroupRuntime.class);

  static final String HOOK_ELECTED = "elected";
  static final String HOOK_REVOKED = "revoked";
  static final String HOOK_INIT = "init";
  static final String HOOK_HEALTH = "health";
  static final String HOOK_RECONFIGURE = "reconfigure";
  static final String HOOK_CONFIG = "group-config";
  static final String HOOK_BIND = "bind";
  static final String HOOK_LISTENER = "listener";

  private final SupervisorRuntime supervisor;
  private final ServiceConfig config;
  private final ServiceConfig.Hooks appHooks;
  private final HookRunner hooks;
  private final List<ServiceListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, BindTracker> binds = new LinkedHashMap<>();
  private final CompletableFuture<Census> ready = new CompletableFuture<>();

  /** How long a departed leader waits for its revoked hooks before it leaves anyway. */
  private static final long DEPART_HAND_OFF_WAIT_NANOS = Duration.ofSeconds(3).toNanos();

  private @Nullable GroupEngine engine;
  private volatile @Nullable MemberId memberId;
  private volatile Census census;
  private volatile @Nullable LeaderContextImpl context;
  private volatile Health health;
  private volatile Map<String, String> pendingExports;
  private boolean censusDirty;
  private long incarnation;

  // health (loop side)
  private boolean healthInFlight;
  private int consecutiveCritical;
  private long healthRound;

  // initializer (loop side)
  private long initTerm;
  private boolean initRunning;
  private long initAwaitingHealthTerm;
  private long initAwaitingHealthAfterRound;
  private int initFailures;

  // what the hooks were last told (loop side)
  private @Nullable MemberId lastLeader;
  private long leaderLostAt = Long.MIN_VALUE;
  private @Nullable LeaderInfo lastReconfigured;
  private volatile @Nullable GroupConfig lastConfig;
  private HookRunner.@Nullable Running reportedHung;

  GroupRuntime(SupervisorRuntime supervisor, ServiceConfig config, Executor hookExecutor) {
    this.supervisor = supervisor;
    this.config = config;
    this.appHooks = config.hooks();
    this.hooks =
        new HookRunner(
            hookExecutor,
            supervisor.name() + "/" + config.group(),
            () -> supervisor.loop().nanoTime(),
            this::hookFailed);
    this.health = appHooks.healthCheck() == null ? Health.OK : Health.UNKNOWN;
    this.pendingExports = config.exports();
    MemberId placeholder = config.memberId() == null ? new MemberId("unknown") : config.memberId();
    this.census =
        new Census(
            config.group(),
            config.topology(),
            placeholder,
            Role.FOLLOWER,
            Term.ZERO,
            null,
            List.of(),
            List.of(),
            config.topology().electsLeader() ? ElectionStatus.WAITING : ElectionStatus.NONE,
            initialisation(0, null),
            0);
    for (Bind b : config.binds()) {
      binds.put(
          b.name(),
          new BindTracker(
              b,
              supervisor.timing().confirmAfter().toNanos(),
              supervisor.timing().electionTimeout().toNanos(),
              (to, body) -> sendAs(b.group(), to, body)));
    }
  }

  ServiceConfig config() {
    return config;
  }

  // ------------------------------------------------------------ loop side

  void start(long now, long wallMillis, RingAddress address, RingView view) {
    ServiceGroup group = config.group();
    Optional<MemberRecord> stored = supervisor.store().load(group);
    MemberId configured = config.memberId();
    MemberId id;
    MemberRecord record;
    if (stored.isPresent()) {
      record = stored.get();
      id = configured != null ? configured : record.memberId();
      if (!id.equals(record.memberId())) {
        log.warn(
            "{}: configured member id {} replaces {} kept in the data directory",
            group,
            id,
            record.memberId());
        record = record.withMemberId(id);
      }
    } else {
      id = configured != null ? configured : MemberId.random();
      record = MemberRecord.fresh(id);
    }
    supervisor.store().save(group, record);
    memberId = id;
    incarnation = wallMillis;
    if (config.topology().electsLeader() && config.bootstrapSize() == 2) {
      log.warn(
          "{}: bootstrap size 2: if the group stays at two members, no failover is possible,"
              + " since one of two voters is never a majority; run three or more",
          group);
    }
    Duration hookTimeout = config.hookTimeout();
    engine =
        new GroupEngine(
            new GroupEngine.Settings(
                group,
                config.topology(),
                config.bootstrapSize(),
                supervisor.timing(),
                supervisor.departAfterNanos(),
                supervisor.mutations(),
                config.criticalThreshold(),
                hookTimeout.plus(supervisor.timing().electionTimeout()).toNanos(),
                config.preempt(),
                health),
            id,
            incarnation,
            config.suitability(),
            record,
            this);
    hooks.mdc(Map.of("habitat.group", group.toString(), "habitat.member", id.value()));
    withMdc(
        () -> {
          GroupEngine e = engine();
          e.setExports(pendingExports);
          e.start(now, address, view);
          // The first census is published at once, not at the first change.
          censusDirty = true;
          for (BindTracker t : binds.values()) {
            t.onView(view);
            // A member of the bound group in this supervisor published its census before this
            // service started, and its own heartbeats never come back to this supervisor.
            Census local = supervisor.publishedCensus(t.bind().group());
            if (local != null) {
              t.onLocal(local);
            }
          }
        });
    if (appHooks.healthCheck() != null || appHooks.suitability() != null) {
      scheduleHealth(Duration.ZERO);
    }
  }

  void onTick(long now) {
    withMdc(
        () -> {
          engine().onTick(now);
          for (BindTracker t : binds.values()) {
            if (t.onTick(now)) {
              bindChanged(t);
            }
          }
          watchHooks(now);
        });
  }

  void onView(long now, RingView view) {
    withMdc(
        () -> {
          engine().onView(now, view);
          for (BindTracker t : binds.values()) {
            if (t.onView(view)) {
              bindChanged(t);
            }
          }
        });
  }

  void onMessage(long now, RingAddress from, Wire.Envelope env) {
    withMdc(() -> engine().onMessage(now, from, env));
  }

  /** A message of a group this service binds to. */
  void onBoundMessage(long now, RingAddress from, Wire.Envelope env) {
    if (engine == null) {
      return;
    }
    for (BindTracker t : binds.values()) {
      if (t.bind().group().equals(env.group()) && t.onMessage(now, from, env)) {
        withMdc(() -> bindChanged(t));
      }
    }
  }

  /** This supervisor's own member of a group this service binds to published a census. */
  void onBoundLocalCensus(Census c) {
    if (engine == null) {
      return;
    }
    for (BindTracker t : binds.values()) {
      if (t.bind().group().equals(c.group()) && t.onLocal(c)) {
        withMdc(() -> bindChanged(t));
      }
    }
  }

  /** The census this member last published, or null before its first one. */
  @Nullable Census publishedCensus() {
    return engine == null || census.member(census.self()).isEmpty() ? null : census;
  }

  /** Whether this service binds to the group. */
  boolean bindsTo(ServiceGroup group) {
    for (Bind b : config.binds()) {
      if (b.group().equals(group)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Starts leaving: a leader hands over first (its revoked hooks run before a successor claims).
   * Returns whether a hand-off is under way.
   */
  boolean beginLeave(long now) {
    GroupEngine e = engine;
    if (e == null || e.role() != Role.LEADER) {
      return false;
    }
    boolean[] handing = new boolean[1];
    withMdc(() -> handing[0] = e.yieldLeadership(now));
    return handing[0];
  }

  /** Whether a hand-off still waits for the revoked hooks. */
  boolean handingOff() {
    GroupEngine e = engine;
    return e != null && e.handingOff();
  }

  void leave(long now) {
    if (engine != null) {
      withMdc(() -> engine().leave(now));
    }
    ready.completeExceptionally(
        new HabitatException(config.group() + ": the supervisor closed before start-up finished"));
  }

  /** Whether the goodbye of a left member has reached every member that was alive. */
  boolean leaveAcknowledged() {
    GroupEngine e = engine;
    return e == null || e.leaveAcknowledged();
  }

  boolean started() {
    return engine != null;
  }

  GroupEngine engine() {
    GroupEngine e = engine;
    if (e == null) {
      throw new IllegalStateException(config.group() + " has not started");
    }
    return e;
  }

  long incarnation() {
    return incarnation;
  }

  private void withMdc(Runnable step) {
    MemberId id = memberId;
    MDC.put("habitat.group", config.group().toString());
    MDC.put("habitat.member", id == null ? "" : id.value());
    MDC.put("habitat.term", engine == null ? "0" : engine.term().toString());
    try {
      step.run();
      if (engine != null) {
        afterStep();
      }
      if (censusDirty) {
        censusDirty = false;
        publishCensus();
      }
    } finally {
      MDC.remove("habitat.group");
      MDC.remove("habitat.member");
      MDC.remove("habitat.term");
    }
  }

  /** Turns what changed in this step into hooks and events. */
  private void afterStep() {
    GroupEngine e = engine();
    long now = supervisor.loop().nanoTime();
    MemberId leader = e.leader();
    if (!Objects.equals(leader, lastLeader)) {
      Duration failover = null;
      if (leader == null) {
        leaderLostAt = now;
      } else if (leaderLostAt != Long.MIN_VALUE) {
        failover = Duration.ofNanos(now - leaderLostAt);
        leaderLostAt = Long.MIN_VALUE;
      }
      lastLeader = leader;
      supervisor.publish(
          new HabitatEvent.LeaderChanged(config.group(), e.self(), leader, e.term(), failover));
    }
    reconfigureIfDue(e);
    GroupConfig doc = e.groupConfig();
    if (doc != null && !doc.equals(lastConfig)) {
      lastConfig = doc;
      GroupConfig c = doc;
      var hook = appHooks.onGroupConfig();
      if (hook != null) {
        hooks.submit(HOOK_CONFIG, () -> hook.changed(c));
      }
    }
    checkReady(e);
  }

  private void reconfigureIfDue(GroupEngine e) {
    MemberId leader = e.leader();
    if (e.role() != Role.FOLLOWER || leader == null || leader.equals(e.self())) {
      return;
    }
    GroupEngine.PeerView l = e.peer(leader);
    // Only a leader that says it leads our term (it won, not merely claimed), with its exports.
    if (l == null || !l.leading() || !l.exportsCurrent() || l.state() != MemberState.ALIVE) {
      return;
    }
    LeaderInfo info = new LeaderInfo(leader, l.address().id(), l.exports(), e.term());
    if (info.equals(lastReconfigured)) {
      return;
    }
    lastReconfigured = info;
    var reconfigure = appHooks.onReconfigure();
    var restart = appHooks.restart();
    if (reconfigure == null && restart == null) {
      return;
    }
    hooks.submit(
        HOOK_RECONFIGURE,
        info.term().value(),
        () -> {
          if (reconfigure != null) {
            reconfigure.reconfigure(info);
          }
          if (restart != null) {
            try {
              restart.stop();
            } finally {
              restart.start();
            }
          }
        },
        null);
  }

  private void checkReady(GroupEngine e) {
    if (ready.isDone() || waitingFor(e) != null) {
      return;
    }
    publishCensus();
    Census c = census;
    log.info("{}: {} finished start-up", config.group(), e.self());
    ready.complete(c);
  }

  /** What start-up still waits for, or null when nothing. */
  private @Nullable String waitingFor(@Nullable GroupEngine e) {
    if (e == null) {
      return "the supervisor to start and join the ring";
    }
    if (e.role() == Role.STOPPED) {
      return "nothing: the member has stopped";
    }
    if (config.topology() == Topology.INITIALIZER && e.initialisedTerm() == 0) {
      MemberId l = e.leader();
      String error = e.initError();
      String leaderPart =
          l == null
              ? "no leader is elected yet (" + e.electionStatus().configName() + ")"
              : l.equals(e.self())
                  ? "this member leads term " + e.term() + " and runs init"
                  : "the leader is " + l + " (term " + e.term() + ")";
      return "the group to be initialised (a leader runs its init hook, then reports OK health): "
          + leaderPart
          + (error.isEmpty() ? "" : "; the last init failed: " + error);
    }
    for (BindTracker t : binds.values()) {
      Bind b = t.bind();
      if (b.strict() && !t.snapshot().satisfied()) {
        return "bind '"
            + b.name()
            + "' to "
            + b.group()
            + (t.snapshot().topology().electsLeader()
                ? " to have a leader"
                : " to have a live member (none heard yet)");
      }
    }
    return null;
  }

  private void bindChanged(BindTracker t) {
    BoundGroup g = t.snapshot();
    var hook = appHooks.onBindChanged();
    if (hook != null) {
      hooks.submit(HOOK_BIND, () -> hook.changed(g));
    }
    if (engine != null) {
      checkReady(engine());
    }
  }

  private void publishCensus() {
    GroupEngine e = engine();
    List<MemberId> voters = e.voters();
    List<Census.Member> members = new ArrayList<>();
    RingAddress self = supervisor.addressOrNull();
    members.add(
        new Census.Member(
            e.self(),
            self == null ? "" : self.id(),
            e.departedSelf() ? MemberState.DEPARTED : MemberState.ALIVE,
            e.suitability(),
            e.eligible(),
            e.role() == Role.LEADER,
            voters.contains(e.self()),
            e.health(),
            e.exports()));
    for (GroupEngine.PeerView p : e.peers()) {
      members.add(
          new Census.Member(
              p.id(),
              p.address().id(),
              p.state(),
              p.suitability(),
              p.eligible(),
              p.leading(),
              voters.contains(p.id()),
              p.health(),
              p.exports()));
    }
    for (MemberId d : e.departed()) {
      members.add(
          new Census.Member(
              d, "", MemberState.DEPARTED, 0, false, false, false, Health.UNKNOWN, Map.of()));
    }
    members.sort((a, b) -> a.id().compareTo(b.id()));
    GroupConfig doc = e.groupConfig();
    String error = e.initError();
    Census c =
        new Census(
            config.group(),
            config.topology(),
            e.self(),
            e.role(),
            e.term(),
            e.leader(),
            members,
            voters,
            e.electionStatus(),
            initialisation(e.initialisedTerm(), error.isEmpty() ? null : error),
            doc == null ? 0 : doc.version());
    if (c.equals(census)) {
      return;
    }
    census = c;
    for (ServiceListener l : listeners) {
      hooks.submit(HOOK_LISTENER, () -> l.censusChanged(c));
    }
    supervisor.localCensus(c);
  }

  private Census.Initialisation initialisation(long initialisedTerm, @Nullable String error) {
    if (config.topology() != Topology.INITIALIZER) {
      return Census.Initialisation.NOT_REQUIRED;
    }
    return new Census.Initialisation(
        true, initialisedTerm > 0, Term.of(initialisedTerm), initialisedTerm > 0 ? null : error);
  }

  // ------------------------------------------------------------ health and init (loop side)

  private void scheduleHealth(Duration delay) {
    supervisor
        .loop()
        .schedule(
            delay,
            () -> {
              GroupEngine e = engine;
              if (e == null || e.role() == Role.STOPPED || supervisor.closing()) {
                return;
              }
              runHealthCheck();
              scheduleHealth(config.healthInterval());
            });
  }

  /** Queues one health check (and suitability poll), unless one is still queued or running. */
  private void runHealthCheck() {
    if (healthInFlight) {
      return;
    }
    healthInFlight = true;
    long round = ++healthRound;
    HealthCheck check = appHooks.healthCheck();
    SuitabilityHook suit = appHooks.suitability();
    hooks.submit(
        HOOK_HEALTH,
        0,
        () -> {
          Health h = Health.OK;
          Long s = null;
          try {
            if (check != null) {
              h = Objects.requireNonNull(check.check(), "the health check returned null");
            }
          } catch (Exception | Error err) {
            supervisor.loop().execute(() -> onHealth(round, Health.UNKNOWN, null));
            throw err;
          }
          if (suit != null) {
            s = suit.suitability();
          }
          Health result = h;
          Long suitability = s;
          supervisor.loop().execute(() -> onHealth(round, result, suitability));
        },
        null);
  }

  private void onHealth(long round, Health h, @Nullable Long suitability) {
    healthInFlight = false;
    if (engine == null) {
      return;
    }
    withMdc(
        () -> {
          GroupEngine e = engine();
          long now = supervisor.loop().nanoTime();
          health = h;
          consecutiveCritical = h == Health.CRITICAL ? consecutiveCritical + 1 : 0;
          if (suitability != null && suitability >= 0) {
            e.setSuitability(suitability);
          }
          e.setHealth(now, h, consecutiveCritical);
          if (h == Health.OK
              && initAwaitingHealthTerm != 0
              && round > initAwaitingHealthAfterRound) {
            long term = initAwaitingHealthTerm;
            initAwaitingHealthTerm = 0;
            markInitialised(e, now, term);
          }
        });
  }

  private void startInit(Term term) {
    GroupEngine e = engine();
    if (e.initialisedTerm() > 0 || initRunning || initTerm == term.value()) {
      return;
    }
    initTerm = term.value();
    submitInit(term);
  }

  private void submitInit(Term term) {
    LeaderContextImpl ctx = context;
    var init = appHooks.init();
    if (ctx == null || !ctx.term().equals(term)) {
      return;
    }
    initRunning = true;
    log.info("{}: running the init hook as the leader of term {}", config.group(), term);
    hooks.submit(
        HOOK_INIT,
        term.value(),
        () -> {
          Throwable failure = null;
          try {
            if (init != null && ctx.isLeader()) {
              init.init(ctx);
            }
          } catch (Exception | Error err) {
            failure = err;
          }
          Throwable f = failure;
          supervisor.loop().execute(() -> onInitDone(term, f));
          if (f != null) {
            throw new InitFailedException(f);
          }
        },
        null);
  }

  /** Wraps an init failure, so the hook runner logs and reports it once. */
  private static final class InitFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InitFailedException(Throwable cause) {
      super("init failed: " + cause, cause);
    }
  }

  private void onInitDone(Term term, @Nullable Throwable failure) {
    initRunning = false;
    if (engine == null) {
      return;
    }
    withMdc(
        () -> {
          GroupEngine e = engine();
          long now = supervisor.loop().nanoTime();
          LeaderContextImpl ctx = context;
          boolean stillLeads = ctx != null && ctx.term().equals(term) && ctx.isLeader();
          if (!stillLeads || e.initialisedTerm() > 0) {
            if (ctx != null && !ctx.term().equals(term) && ctx.isLeader()) {
              // Elected again while this attempt of an older term was queued or running: the
              // election could not start init then, so the current term starts it now.
              startInit(ctx.term());
            }
            return;
          }
          if (failure != null) {
            initFailures++;
            long min = config.initRetryMin().toNanos();
            long backoff =
                Math.min(config.initRetryMax().toNanos(), min << Math.min(initFailures - 1, 20));
            e.setInitError(String.valueOf(failure));
            log.warn(
                "{}: init of term {} failed ({} so far); retrying in {} ms",
                config.group(),
                term,
                initFailures,
                backoff / 1_000_000);
            supervisor
                .loop()
                .schedule(
                    Duration.ofNanos(backoff),
                    () -> {
                      if (engine != null && engine().initialisedTerm() == 0) {
                        withMdc(() -> submitInit(term));
                      }
                    });
            return;
          }
          initFailures = 0;
          if (supervisor.mutations().contains(GroupEngine.Mutation.RELEASE_BEFORE_HEALTH)
              || appHooks.healthCheck() == null) {
            markInitialised(e, now, term.value());
            return;
          }
          // Only a check that starts after init may release the group: one in flight now does
          // not count, the next one does.
          initAwaitingHealthTerm = term.value();
          initAwaitingHealthAfterRound = healthRound;
          runHealthCheck();
        });
  }

  private void markInitialised(GroupEngine e, long now, long term) {
    if (e.markInitialised(now, Term.of(term))) {
      log.info("{}: the group is initialised (term {})", config.group(), term);
    }
  }

  /** Reports hooks that run past the timeout, once each, and lets a stuck hand-off go. */
  private void watchHooks(long now) {
    HookRunner.Running r = hooks.running();
    HookRunner.Running last = reportedHung;
    if (r == null
        || (last != null && last.startedAt() == r.startedAt() && last.name().equals(r.name()))) {
      return;
    }
    long ran = now - r.startedAt();
    if (ran <= config.hookTimeout().toNanos()) {
      return;
    }
    reportedHung = r;
    log.warn(
        "{}: the {} hook has run for {} ms, past its timeout of {} ms: reported as hung; later"
            + " hooks of this service wait, the election does not",
        config.group(),
        r.name(),
        ran / 1_000_000,
        config.hookTimeout().toMillis());
    supervisor.hookHung();
    supervisor.publish(
        new HabitatEvent.HookHung(
            config.group(), engine().self(), r.name(), Duration.ofNanos(ran)));
    if (HOOK_HEALTH.equals(r.name())) {
      // A health check that hangs counts as UNKNOWN until it returns (see HealthCheck).
      health = Health.UNKNOWN;
      consecutiveCritical = 0;
      engine().setHealth(now, Health.UNKNOWN, 0);
    }
    if (HOOK_REVOKED.equals(r.name())) {
      engine().handOffDone(now, Term.of(r.term()));
    }
  }

  // ------------------------------------------------------------ effects (loop side)

  @Override
  public void send(RingAddress to, Body body) {
    supervisor.send(to, envelope(config.group(), body));
  }

  @Override
  public void sendToAll(Body body) {
    supervisor.sendToAll(envelope(config.group(), body));
  }

  private void sendAs(ServiceGroup group, RingAddress to, Body body) {
    supervisor.send(to, envelope(group, body));
  }

  private Wire.Envelope envelope(ServiceGroup group, Body body) {
    return new Wire.Envelope(group, engine().self(), incarnation, body);
  }

  @Override
  public void persist(MemberRecord record) {
    supervisor.store().save(config.group(), record);
  }

  @Override
  public void elected(Term term) {
    GroupEngine e = engine();
    LeaderContextImpl ctx =
        new LeaderContextImpl(term, () -> e.isLeading(supervisor.loop().nanoTime()));
    context = ctx;
    MDC.put("habitat.term", term.toString());
    log.info("{}: {} leads term {}", config.group(), e.self(), term);
    supervisor.publish(new HabitatEvent.LeaderElected(config.group(), e.self(), term));
    hooks.submit(
        HOOK_ELECTED,
        term.value(),
        leaderHook(appHooks.onElected(), ctx, ServiceListener::elected),
        null);
    if (config.topology() == Topology.INITIALIZER) {
      startInit(term);
    }
  }

  /** The application's leader hook, then the listeners (also when the hook throws). */
  private HookRunner.Body leaderHook(
      io.habitat.core.@Nullable LeaderHook hook,
      LeaderContextImpl ctx,
      java.util.function.BiConsumer<ServiceListener, LeaderContext> listenerCall) {
    List<ServiceListener> ls = List.copyOf(listeners);
    return () -> {
      try {
        if (hook != null) {
          hook.handle(ctx);
        }
      } finally {
        for (ServiceListener l : ls) {
          listenerCall.accept(l, ctx);
        }
      }
    };
  }

  @Override
  public void revoked(Term term, String reason) {
    LeaderContextImpl ctx = context;
    context = null;
    GroupEngine e = engine();
    log.info("{}: {} no longer leads term {}: {}", config.group(), e.self(), term, reason);
    supervisor.publish(new HabitatEvent.LeaderRevoked(config.group(), e.self(), term, reason));
    initAwaitingHealthTerm = 0;
    if (ctx == null) {
      return;
    }
    ctx.revoke();
    // The leader's work is cancelled: a running elected or init hook of this term is interrupted.
    hooks.interrupt(term.value(), HOOK_ELECTED, HOOK_INIT);
    hooks.submit(
        HOOK_REVOKED,
        term.value(),
        leaderHook(appHooks.onRevoked(), ctx, ServiceListener::revoked),
        () ->
            supervisor
                .loop()
                .execute(
                    () -> {
                      GroupEngine g = engine;
                      if (g != null) {
                        withMdc(() -> g.handOffDone(supervisor.loop().nanoTime(), term));
                      }
                    }));
  }

  @Override
  public void censusChanged() {
    censusDirty = true;
  }

  @Override
  public void fatal(String message) {
    log.error("{}: {}", config.group(), message);
    HabitatException error = new HabitatException(message);
    for (ServiceListener l : listeners) {
      hooks.submit(HOOK_LISTENER, () -> l.failed(error));
    }
    ready.completeExceptionally(error);
  }

  @Override
  public void departed(String reason) {
    // Called from inside the engine: act once it has returned.
    supervisor
        .loop()
        .execute(
            () ->
                withMdc(
                    () -> {
                      long now = supervisor.loop().nanoTime();
                      beginLeave(now);
                      finishDeparture(now + DEPART_HAND_OFF_WAIT_NANOS, reason);
                    }));
  }

  /** Leaves once the hand-off (if this member led) is over, or at the deadline. */
  private void finishDeparture(long deadline, String reason) {
    if (handingOff() && supervisor.loop().nanoTime() - deadline < 0) {
      supervisor
          .loop()
          .schedule(Duration.ofMillis(5), () -> withMdc(() -> finishDeparture(deadline, reason)));
      return;
    }
    HabitatException error =
        new HabitatException(
            config.group()
                + ": "
                + reason
                + "; it left the group for good. Start it with a new member id (or a fresh data"
                + " directory) to join again.");
    ready.completeExceptionally(error);
    leave(supervisor.loop().nanoTime());
    for (ServiceListener l : listeners) {
      hooks.submit(HOOK_LISTENER, () -> l.failed(error));
    }
  }

  @Override
  public CompletionStage<Void> depart(MemberId member) {
    Objects.requireNonNull(member, "member");
    CompletableFuture<Void> done = new CompletableFuture<>();
    supervisor
        .loop()
        .execute(
            () -> {
              GroupEngine e = engine;
              if (e == null || e.role() == Role.STOPPED) {
                done.completeExceptionally(
                    new IllegalStateException(
                        config.group()
                            + ": this member is not in the group (not started, closed or"
                            + " departed); depart "
                            + member
                            + " from a running member"));
                return;
              }
              boolean[] known = new boolean[1];
              withMdc(() -> known[0] = e.depart(supervisor.loop().nanoTime(), member));
              if (known[0]) {
                done.complete(null);
                return;
              }
              List<String> ids = new ArrayList<>();
              ids.add(e.self().value());
              for (GroupEngine.PeerView p : e.peers()) {
                ids.add(p.id().value());
              }
              java.util.Collections.sort(ids);
              done.completeExceptionally(
                  new IllegalArgumentException(
                      "member "
                          + member
                          + " is not in the census of "
                          + config.group()
                          + " (members: "
                          + String.join(", ", ids)
                          + "); check the id in census() and try again"));
            });
    return done.minimalCompletionStage();
  }

  @Override
  public void claimLost(Term term, String reason) {
    supervisor.publish(
        new HabitatEvent.ElectionLost(config.group(), engine().self(), term, reason));
  }

  void hookFailed(String hook, Throwable thrown) {
    // An init failure is wrapped once so that the runner reports it; report what init threw.
    Throwable cause = thrown.getCause();
    Throwable error = thrown instanceof InitFailedException && cause != null ? cause : thrown;
    MemberId id = memberId;
    supervisor.publish(
        new HabitatEvent.HookFailed(
            config.group(), id == null ? new MemberId("unknown") : id, hook, error));
  }

  // ------------------------------------------------------------ Service (any thread)

  @Override
  public ServiceGroup group() {
    return config.group();
  }

  @Override
  public Topology topology() {
    return config.topology();
  }

  @Override
  public MemberId memberId() {
    MemberId id = memberId;
    if (id == null) {
      throw new IllegalStateException(
          "the member id of " + config.group() + " is known once the supervisor has started");
    }
    return id;
  }

  @Override
  public Census census() {
    return census;
  }

  @Override
  public boolean isLeader() {
    LeaderContextImpl ctx = context;
    return ctx != null && ctx.isLeader();
  }

  @Override
  public Optional<LeaderContext> leadership() {
    LeaderContextImpl ctx = context;
    return ctx != null && ctx.isLeader() ? Optional.of(ctx) : Optional.empty();
  }

  @Override
  public void addListener(ServiceListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void yieldLeadership() {
    onLoop(e -> e.yieldLeadership(supervisor.loop().nanoTime()));
  }

  @Override
  public void reelect() {
    onLoop(e -> e.reelect(supervisor.loop().nanoTime()));
  }

  private void onLoop(java.util.function.Consumer<GroupEngine> action) {
    supervisor
        .loop()
        .execute(
            () -> {
              GroupEngine e = engine;
              if (e != null) {
                withMdc(() -> action.accept(e));
              }
            });
  }

  @Override
  public CompletionStage<Census> ready() {
    return ready.minimalCompletionStage();
  }

  @Override
  public Census awaitReady(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      String what =
          supervisor.state() == io.habitat.core.Supervisor.State.LATENT
              ? "the supervisor to start (call start())"
              : String.valueOf(describeWait());
      throw new HabitatException(
          config.group()
              + ": member "
              + memberId
              + " did not finish start-up within "
              + timeout.toMillis()
              + " ms: it waits for "
              + what,
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HabitatException h) {
        throw new HabitatException(String.valueOf(h.getMessage()), h);
      }
      throw new HabitatException(
          config.group() + ": start-up failed: " + cause, Objects.requireNonNullElse(cause, e));
    }
  }

  private @Nullable String describeWait() {
    if (supervisor.loop().inEventLoop() || supervisor.loop().isVirtual()) {
      // Nobody else can answer: on virtual time the caller's thread is the one that runs the loop.
      return waitingFor(engine);
    }
    CompletableFuture<@Nullable String> answer = new CompletableFuture<>();
    supervisor.loop().execute(() -> answer.complete(waitingFor(engine)));
    try {
      return answer.get(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted while asking the protocol thread)";
    } catch (ExecutionException | TimeoutException e) {
      return "(the protocol thread did not answer within 1 s)";
    }
  }

  @Override
  public Health health() {
    return health;
  }

  @Override
  public void publishExports(Map<String, String> exports) {
    Map<String, String> checked = Exports.validate(exports);
    pendingExports = checked;
    onLoop(e -> e.setExports(checked));
  }

  @Override
  public CompletionStage<GroupConfig> applyConfig(
      long version, ConfigFormat format, String document) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(document, "document");
    // Checked here, on the caller's thread, so that a bad document never reaches the group.
    GroupConfigs.check(version, Term.ZERO, format, document);
    CompletableFuture<GroupConfig> result = new CompletableFuture<>();
    supervisor
        .loop()
        .execute(
            () -> {
              GroupEngine e = engine;
              if (e == null) {
                result.completeExceptionally(
                    new HabitatException(
                        config.group()
                            + ": cannot apply config before the supervisor has started; nothing"
                            + " was applied"));
                return;
              }
              withMdc(
                  () -> {
                    GroupConfig doc = GroupConfigs.check(version, e.term(), format, document);
                    String refusal = e.applyGroupConfig(doc);
                    if (refusal != null) {
                      result.completeExceptionally(new HabitatException(refusal));
                    } else {
                      log.info("{}: applied group config {}", config.group(), doc);
                      result.complete(doc);
                    }
                  });
            });
    return result.minimalCompletionStage();
  }

  @Override
  public Optional<GroupConfig> groupConfig() {
    return Optional.ofNullable(lastConfig);
  }

  @Override
  public BoundGroup bound(String bindName) {
    BindTracker t = binds.get(bindName);
    if (t == null) {
      throw new IllegalArgumentException(
          config.group()
              + " has no bind named '"
              + bindName
              + "'"
              + (binds.isEmpty() ? ": it declares none" : "; it has " + binds.keySet()));
    }
    return t.snapshot();
  }

  long hookFailures() {
    return hooks.failures();
  }

  @Override
  public String toString() {
    return "Service[" + config.group() + ", " + memberId + "]";
  }
}
