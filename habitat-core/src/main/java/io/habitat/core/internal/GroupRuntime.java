package io.habitat.core.internal;

import io.habitat.core.Census;
import io.habitat.core.HabitatException;
import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.Role;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.internal.Wire.Body;
import io.habitat.core.spi.MemberRecord;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One service's runtime: its engine, its listeners and its hook executor. Engine methods run on the
 * supervisor's loop; listener calls go to the service's serial hook executor.
 */
final class GroupRuntime implements Service, GroupEngine.Effects {
  private static final Logger log = LoggerFactory.getLogger(GroupRuntime.class);

  private final SupervisorRuntime supervisor;
  private final ServiceConfig config;
  private final SerialExecutor hooks;
  private final List<ServiceListener> listeners = new CopyOnWriteArrayList<>();

  private @Nullable GroupEngine engine;
  private volatile @Nullable MemberId memberId;
  private volatile Census census;
  private volatile @Nullable LeaderContextImpl context;
  private boolean censusDirty;
  private long incarnation;

  GroupRuntime(SupervisorRuntime supervisor, ServiceConfig config, SerialExecutor hooks) {
    this.supervisor = supervisor;
    this.config = config;
    this.hooks = hooks;
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
            List.of());
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
        record =
            new MemberRecord(
                id, record.highestTerm(), record.initialised(), record.initialisedTerm());
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
    engine =
        new GroupEngine(
            new GroupEngine.Settings(
                group,
                config.topology(),
                config.bootstrapSize(),
                supervisor.timing(),
                supervisor.departAfterNanos(),
                supervisor.mutations()),
            id,
            incarnation,
            config.suitability(),
            record,
            this);
    withMdc(() -> engine().start(now, address, view));
  }

  void onTick(long now) {
    withMdc(() -> engine().onTick(now));
  }

  void onView(long now, RingView view) {
    withMdc(() -> engine().onView(now, view));
  }

  void onMessage(long now, RingAddress from, Wire.Envelope env) {
    withMdc(() -> engine().onMessage(now, from, env));
  }

  void leave(long now) {
    if (engine != null) {
      withMdc(() -> engine().leave(now));
    }
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

  private void publishCensus() {
    GroupEngine e = engine();
    List<MemberId> voters = e.voters();
    List<Census.Member> members = new ArrayList<>();
    RingAddress self = supervisor.addressOrNull();
    members.add(
        new Census.Member(
            e.self(),
            self == null ? "" : self.id(),
            io.habitat.core.MemberState.ALIVE,
            e.suitability(),
            e.eligible(),
            e.role() == Role.LEADER,
            voters.contains(e.self())));
    for (GroupEngine.PeerView p : e.peers()) {
      members.add(
          new Census.Member(
              p.id(),
              p.address().id(),
              p.state(),
              p.suitability(),
              p.eligible(),
              p.leading(),
              voters.contains(p.id())));
    }
    members.sort((a, b) -> a.id().compareTo(b.id()));
    Census c =
        new Census(
            config.group(),
            config.topology(),
            e.self(),
            e.role(),
            e.term(),
            e.leader(),
            members,
            voters);
    census = c;
    for (ServiceListener l : listeners) {
      hooks.execute(() -> l.censusChanged(c));
    }
  }

  // ------------------------------------------------------------ effects (loop side)

  @Override
  public void send(RingAddress to, Body body) {
    supervisor.send(to, envelope(body));
  }

  @Override
  public void sendToAll(Body body) {
    supervisor.sendToAll(envelope(body));
  }

  private Wire.Envelope envelope(Body body) {
    return new Wire.Envelope(config.group(), engine().self(), incarnation, body);
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
    log.info("{}: {} leads term {}", config.group(), e.self(), term);
    for (ServiceListener l : listeners) {
      hooks.execute(() -> l.elected(ctx));
    }
  }

  @Override
  public void revoked(Term term, String reason) {
    LeaderContextImpl ctx = context;
    context = null;
    log.info("{}: {} no longer leads term {}: {}", config.group(), engine().self(), term, reason);
    if (ctx == null) {
      return;
    }
    ctx.revoke();
    for (ServiceListener l : listeners) {
      hooks.execute(() -> l.revoked(ctx));
    }
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
      hooks.execute(() -> l.failed(error));
    }
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
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void yieldLeadership() {
    supervisor
        .loop()
        .execute(
            () -> {
              if (engine != null) {
                withMdc(() -> engine().yieldLeadership(supervisor.loop().nanoTime()));
              }
            });
  }

  long hookFailures() {
    return hooks.failures();
  }

  @Override
  public String toString() {
    return "Service[" + config.group() + ", " + memberId + "]";
  }
}
