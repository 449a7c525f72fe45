package io.habitat.test.simulation;

import io.habitat.core.ConfigFormat;
import io.habitat.core.Health;
import io.habitat.core.LeaderContext;
import io.habitat.core.LeaderInfo;
import io.habitat.core.MemberId;
import io.habitat.core.Role;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.Topology;
import io.habitat.core.internal.GroupEngine;
import io.habitat.core.internal.SupervisorRuntime;
import io.habitat.core.internal.Wire;
import io.habitat.core.internal.WireCodec;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import io.habitat.test.network.Faults;
import io.habitat.test.network.InMemoryNetwork;
import io.habitat.test.network.InMemoryTransport;
import io.habitat.test.network.VirtualNode;
import io.habitat.test.network.VirtualTime;
import io.habitat.test.store.InMemoryDataDirectory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One seed of the simulation: builds a group on the in-memory ring, injects random faults for the
 * fault phase, then heals everything and checks that the group agrees on a leader. The election's
 * invariants are checked after every step:
 *
 * <ol>
 *   <li>no two members ever lead with the same term;
 *   <li>the durable term of a member never decreases, across restarts too, and the term it accepted
 *       never decreases while it runs;
 *   <li>a leader whose term is not supported by a majority of its voting membership steps down
 *       within the leader lease (plus one tick);
 *   <li>no member believes it leads ({@code isLeader()}) while cut off from a majority of its
 *       voting membership for longer than the leader lease (plus one tick);
 *   <li>once faults stop, the members agree on one leader within the liveness bound;
 *   <li>an election with unchanged membership costs at most 2n messages;
 *   <li>no member's start-up completes (initializer topology) before the group was initialised by a
 *       leader whose init hook returned and whose health check then reported OK; and once faults
 *       stop, every member's start-up completes within the liveness bound;
 *   <li>the group config version a member holds never goes back, across restarts too, and all
 *       members hold the same document within the liveness bound once faults stop;
 *   <li>once faults stop and a leader is agreed, every follower's last reconfigure call names the
 *       current leader and its term within the liveness bound;
 *   <li>{@code elected} and {@code revoked} hooks are paired per term on every member, and no two
 *       members run leader hooks of different terms at the same time for longer than the leader
 *       lease (plus two ticks), frozen time excluded.
 * </ol>
 *
 * <p>Besides crashes, freezes, partitions and message faults, the simulation injects the hooks'
 * faults: health that turns critical, init hooks and leader hooks that throw, hooks that hang (the
 * hook thread freezes past the hook timeout), and group config applied on random members, including
 * the same version on two sides of a partition.
 *
 * <p>Deterministic: all randomness comes from the seed, all time is virtual, all collections that
 * are iterated are ordered. Not thread-safe; run seeds on separate instances.
 */
public final class Simulation {

  private static final ServiceGroup GROUP = ServiceGroup.parse("sim.default");
  private static final int TAIL = 40;
  private static final long MAX_STEPS = 300_000;
  private static final int VERBOSE_TAIL = 50_000;

  private final long seed;
  private final SimulationConfig config;
  private final SplittableRandom rnd;
  private final VirtualTime time = new VirtualTime();
  private final InMemoryNetwork network;
  private final VirtualNode chaos;
  private final List<Member> members = new ArrayList<>();
  private final java.util.HashMap<MemberId, Member> byId = new java.util.HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private final MessageDigest digest;
  private final long tickNanos;
  private final long leaseNanos;

  // invariant state
  private final TreeMap<Long, MemberId> leaderOfTerm = new TreeMap<>();
  private final TreeMap<MemberId, Long> durableTerm = new TreeMap<>();
  private final TreeMap<Long, ElectionTally> tallies = new TreeMap<>();
  private long steps;
  private boolean faultsOn;
  private boolean hookChaos = true;
  private boolean trulyInitialised;
  private final TreeMap<String, Long> overlapSince = new TreeMap<>();
  private int configCounter;
  private @Nullable List<List<Integer>> sides;

  /** One member slot: its data directory survives restarts; the rest is per incarnation. */
  private final class Member {
    final int index;
    final MemberId id;
    final long suitability;
    final InMemoryDataDirectory dir;
    int incarnation;
    VirtualNode node;
    VirtualNode hooks;
    Transport transport;
    SupervisorRuntime runtime;
    boolean crashed;
    @Nullable GroupEngine engine;
    long thawedAt = -1_000_000_000_000_000L;
    long acceptedTerm;
    final SplittableRandom hookRnd;

    @SuppressWarnings("NullAway.Init") // set by newRuntime(), which the constructor calls
    Service service;

    boolean critical;
    long initDoneTerm;
    int checksSinceInit;
    int warmup;
    long openTerm;
    boolean leaderHookActive;
    long leaderHookTerm;
    @Nullable LeaderInfo lastReconfigured;
    long maxConfigVersion;
    boolean ready;
    long supportTerm = -1;
    final long[] lastSupport = new long[Math.max(8, sizeOverride)];
    final long[] lastReach = new long[Math.max(8, sizeOverride)];
    boolean reachReset;

    Member(int index, long suitability) {
      this.index = index;
      this.id = MemberId.of("m" + index);
      this.suitability = suitability;
      this.dir = new InMemoryDataDirectory(id.value());
      this.node = time.newNode(id.value());
      this.hooks = time.newNode(id.value() + "-hooks");
      this.transport = new CountingTransport(network.newTransport(node), this);
      this.hookRnd = new SplittableRandom(seed * 31 + index);
      this.runtime = newRuntime();
    }

    SupervisorRuntime newRuntime() {
      openTerm = 0;
      leaderHookActive = false;
      lastReconfigured = null;
      ready = false;
      initDoneTerm = 0;
      SupervisorRuntime r =
          new SupervisorRuntime(
              id.value(),
              transport,
              dir.open(),
              null,
              node,
              false,
              hooks,
              config.timing(),
              config.mutations(),
              index < config.oldMembers() ? 1 : WireCodec.VERSION);
      ServiceConfig.Builder b =
          ServiceConfig.builder(GROUP)
              .topology(config.topology())
              .memberId(id)
              .suitability(suitability)
              .bootstrapSize(members() / 2 + 1)
              .exports(java.util.Map.of("host", id.value(), "incarnation", "" + incarnation))
              .healthInterval(Duration.ofMillis(200))
              .criticalThreshold(2)
              .hookTimeout(Duration.ofSeconds(1))
              .initRetry(Duration.ofMillis(100), Duration.ofMillis(800))
              .healthCheck(this::healthCheck)
              .onElected(this::onElected)
              .onRevoked(this::onRevoked)
              .onReconfigure(
                  info -> {
                    lastReconfigured = info;
                    trace(id + " reconfigured for " + info.id() + " term " + info.term());
                  })
              .onGroupConfig(c -> trace(id + " config " + c));
      if (config.topology() == Topology.INITIALIZER) {
        b.init(this::init);
      }
      Service s = r.register(b.build());
      service = s;
      s.ready()
          .whenComplete(
              (census, error) -> {
                if (error == null) {
                  onReady();
                }
              });
      s.addListener(
          new ServiceListener() {
            @Override
            public void elected(LeaderContext context) {
              trace(id + " elected term " + context.term());
            }

            @Override
            public void revoked(LeaderContext context) {
              trace(id + " revoked term " + context.term());
            }
          });
      return r;
    }

    private Health healthCheck() {
      if (critical) {
        return Health.CRITICAL;
      }
      if (initDoneTerm > 0 && checksSinceInit < warmup) {
        checksSinceInit++;
        return Health.WARNING;
      }
      if (initDoneTerm > 0 && !trulyInitialised) {
        trulyInitialised = true;
        trace(id + " healthy after init of term " + initDoneTerm);
      }
      return Health.OK;
    }

    private void init(LeaderContext ctx) {
      if (hookChaos && hookRnd.nextInt(100) < 20) {
        trace(id + " init of term " + ctx.term() + " fails");
        throw new IllegalStateException("injected init failure");
      }
      initDoneTerm = ctx.term().value();
      checksSinceInit = 0;
      warmup = hookRnd.nextInt(4);
      trace(id + " init of term " + ctx.term() + " done, warm-up " + warmup + " checks");
    }

    private void onElected(LeaderContext ctx) {
      long term = ctx.term().value();
      if (openTerm != 0) {
        violation(10, id + " elected for term " + term + " while term " + openTerm + " is open");
      }
      openTerm = term;
      if (!ctx.isRevoked()) {
        leaderHookActive = true;
        leaderHookTerm = term;
        ctx.revocation()
            .thenRun(
                () -> {
                  if (leaderHookTerm == term) {
                    leaderHookActive = false;
                  }
                });
      }
      if (hookChaos && hookRnd.nextInt(100) < 5) {
        throw new IllegalStateException("injected elected hook failure");
      }
    }

    private void onRevoked(LeaderContext ctx) {
      long term = ctx.term().value();
      if (openTerm != term) {
        violation(10, id + " revoked for term " + term + " but the open term is " + openTerm);
      }
      openTerm = 0;
      if (hookChaos && hookRnd.nextInt(100) < 5) {
        throw new IllegalStateException("injected revoked hook failure");
      }
    }

    private void onReady() {
      ready = true;
      if (config.topology() == Topology.INITIALIZER && !trulyInitialised) {
        violation(
            7,
            id
                + " finished start-up before any leader's init hook returned and its health then"
                + " reported OK");
      }
    }

    @Nullable GroupEngine engine() {
      if (crashed) {
        return null;
      }
      GroupEngine e = engine;
      if (e == null && runtime.started(GROUP)) {
        e = runtime.engine(GROUP);
        engine = e;
      }
      return e;
    }

    boolean frozen() {
      return node.isFrozen();
    }
  }

  /** Messages of one term's election, counted where they arrive. */
  private static final class ElectionTally {
    long messages;
    boolean disturbed;
    boolean bootstrap;
    int live;
    final TreeSet<String> seen = new TreeSet<>();
    long wonAt = Long.MIN_VALUE;
  }

  private int sizeOverride;
  private long lastDisturbance;
  private long triggerUntil = -1_000_000_000_000_000L;
  private boolean verbose;

  /** Traces every election message too (for replaying one seed); keeps a longer tail. */
  public Simulation verbose() {
    this.verbose = true;
    return this;
  }

  /** A simulation of one seed. */
  public Simulation(long seed, SimulationConfig config) {
    this.seed = seed;
    this.config = config;
    this.rnd = new SplittableRandom(seed);
    this.network = new InMemoryNetwork(time, rnd.nextLong());
    this.chaos = time.newNode("chaos");
    this.tickNanos = config.timing().heartbeatInterval().toNanos();
    this.leaseNanos = config.timing().leaderLease().toNanos();
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private int members() {
    return sizeOverride;
  }

  /** Runs the seed to completion. */
  public SimulationResult run() {
    sizeOverride = config.members() == 0 ? 1 + rnd.nextInt(7) : config.members();
    int n = sizeOverride;
    for (int i = 0; i < n; i++) {
      Member m = new Member(i, rnd.nextInt(3));
      members.add(m);
      byId.put(m.id, m);
    }
    trace("start seed=" + seed + " members=" + n + " topology=" + config.topology().configName());
    for (Member m : members) {
      m.runtime.start();
    }
    long faultEnd = time.nanoTime() + config.faultPhase().toNanos();
    scheduleFaults(faultEnd);
    runUntil(faultEnd);
    quiet();
    long deadline = time.nanoTime() + config.livenessBound().toNanos();
    boolean agreed = false;
    while (time.nanoTime() < deadline && violations.isEmpty()) {
      if (!time.step()) {
        break;
      }
      steps++;
      check();
      if (config.topology().electsLeader() ? agreedOnLeader() : allStarted()) {
        agreed = true;
        break;
      }
    }
    if (!agreed && violations.isEmpty()) {
      violation(
          5,
          "no agreement on one leader within "
              + config.livenessBound()
              + " of quiet: "
              + describe());
    }
    if (agreed && violations.isEmpty()) {
      awaitSettled();
    }
    if (agreed && violations.isEmpty() && config.topology().electsLeader() && members.size() > 2) {
      cleanFailover();
    }
    finishTallies();
    long elections = leaderOfTerm.size();
    long checked = 0;
    long maxMessages = 0;
    for (ElectionTally t : tallies.values()) {
      if (t.wonAt != Long.MIN_VALUE && !t.disturbed && !t.bootstrap) {
        checked++;
        maxMessages = Math.max(maxMessages, t.messages);
      }
    }
    for (Member m : members) {
      if (!m.crashed) {
        m.runtime.close();
      }
    }
    trace("end elections=" + elections + " steps=" + steps + " " + network.stats());
    return new SimulationResult(
        seed,
        n,
        violations,
        elections,
        checked,
        maxMessages,
        steps,
        HexFormat.of().formatHex(digest.digest()),
        new ArrayList<>(tail));
  }

  /** Whether every live member's voting membership is exactly the live members. */
  private boolean membershipHoldsEveryLiveMember() {
    java.util.Set<MemberId> live = new java.util.TreeSet<>();
    for (Member m : members) {
      if (!m.crashed) {
        live.add(m.id);
      }
    }
    for (Member m : members) {
      GroupEngine e = m.engine();
      if (m.crashed) {
        continue;
      }
      if (e == null || !new java.util.TreeSet<>(e.voters()).equals(live)) {
        return false;
      }
    }
    return true;
  }

  /**
   * After agreement, with nothing else going on: crash the leader and check that the survivors
   * agree on a new one within the liveness bound. This election runs with unchanged membership, so
   * invariant 6 applies to it.
   */
  private void cleanFailover() {
    runUntil(time.nanoTime() + 1_000_000_000L);
    // Agreement on a leader can come before the voting membership includes a member that was
    // frozen or cut off until quiet (its ring view merges later). Crashing the leader of a
    // membership that lacks it would leave no majority: a correct refusal, not a liveness failure.
    // So wait for the membership to hold every live member (it must, within the bound) first.
    long settleBy = time.nanoTime() + config.livenessBound().toNanos();
    while (violations.isEmpty() && !membershipHoldsEveryLiveMember()) {
      if (time.nanoTime() >= settleBy || !time.step()) {
        violation(
            5,
            "the voting membership did not come to hold every live member within "
                + config.livenessBound()
                + " of agreement: "
                + describe());
        return;
      }
      steps++;
      check();
    }
    Member leader = null;
    for (Member m : members) {
      GroupEngine e = m.engine();
      if (e != null && e.role() == Role.LEADER) {
        leader = m;
      }
    }
    if (leader == null || !violations.isEmpty()) {
      return;
    }
    triggerUntil = time.nanoTime() + config.timing().electionTimeout().toNanos();
    disturb();
    crash(leader);
    long deadline = time.nanoTime() + config.livenessBound().toNanos();
    while (time.nanoTime() < deadline && violations.isEmpty()) {
      if (!time.step()) {
        break;
      }
      steps++;
      check();
      if (agreedOnLeader()) {
        awaitSettled();
        return;
      }
    }
    if (violations.isEmpty()) {
      violation(
          5,
          "no new leader within "
              + config.livenessBound()
              + " of the leader's crash: "
              + describe());
    }
  }

  /**
   * Invariants 7, 8 and 9 once the group is quiet and agreed: every member finishes start-up, holds
   * the same group config, and (as a follower) was last reconfigured for the current leader.
   */
  private void awaitSettled() {
    long deadline = time.nanoTime() + config.livenessBound().toNanos();
    while (violations.isEmpty()) {
      String missing = unsettled();
      if (missing == null) {
        return;
      }
      if (time.nanoTime() >= deadline || !time.step()) {
        int invariant = missing.startsWith("start-up") ? 7 : missing.startsWith("config") ? 8 : 9;
        violation(
            invariant, missing + " within " + config.livenessBound() + " of quiet: " + describe());
        return;
      }
      steps++;
      check();
    }
  }

  /** What is not settled yet, or null. */
  private @Nullable String unsettled() {
    io.habitat.core.GroupConfig first = null;
    boolean firstSet = false;
    for (Member m : members) {
      GroupEngine e = m.engine();
      if (m.crashed || e == null) {
        continue;
      }
      if (!m.ready) {
        return "start-up of " + m.id + " did not complete";
      }
      io.habitat.core.GroupConfig c = e.groupConfig();
      if (!firstSet) {
        first = c;
        firstSet = true;
      } else if (!java.util.Objects.equals(first, c)) {
        return "config: members hold different group configs (" + first + " and " + c + ")";
      }
      MemberId leader = e.leader();
      if (config.topology().electsLeader()
          && e.role() == Role.FOLLOWER
          && leader != null
          && !leader.equals(m.id)) {
        LeaderInfo r = m.lastReconfigured;
        if (r == null || !r.id().equals(leader) || !r.term().equals(e.term())) {
          return "reconfigure: "
              + m.id
              + " was last reconfigured for "
              + r
              + ", not "
              + leader
              + " of term "
              + e.term();
        }
      }
    }
    return null;
  }

  // ------------------------------------------------------------ faults

  private void scheduleFaults(long faultEnd) {
    if (config.faultsPerSecond() <= 0) {
      return;
    }
    long now = time.nanoTime();
    long meanGap = (long) (1e9 / config.faultsPerSecond());
    long at = now + (long) (rnd.nextDouble() * meanGap * 2);
    while (at < faultEnd) {
      long delay = at - now;
      int action = rnd.nextInt(120);
      int target = rnd.nextInt(members.size());
      long duration = 200_000_000L + (long) (rnd.nextDouble() * 2_800_000_000L);
      long splitSeed = rnd.nextLong();
      chaos.schedule(Duration.ofNanos(delay), () -> fault(action, target, duration, splitSeed));
      at += (long) (rnd.nextDouble() * meanGap * 2);
    }
  }

  private void fault(int action, int target, long duration, long splitSeed) {
    Member m = members.get(target);
    disturb();
    if (action < 20) {
      if (!m.crashed) {
        crash(m);
      } else {
        restart(m);
      }
    } else if (action < 35) {
      if (!m.crashed && !m.frozen()) {
        trace("freeze " + m.id + " for " + duration / 1_000_000 + " ms");
        m.node.freeze();
        m.hooks.freeze();
        chaos.schedule(Duration.ofNanos(duration), () -> thaw(m));
      }
    } else if (action < 55) {
      partition(splitSeed);
    } else if (action < 70) {
      heal();
    } else if (action < 85) {
      SplittableRandom r = new SplittableRandom(splitSeed);
      Faults f =
          Faults.none()
              .withLoss(r.nextDouble() * 0.2)
              .withDuplication(r.nextDouble() * 0.1)
              .withDelay(Duration.ZERO, Duration.ofMillis(1 + r.nextInt(60)))
              .withReorder(r.nextBoolean());
      network.faults(f);
      faultsOn = true;
      trace("faults " + f);
    } else if (action < 92) {
      network.faults(Faults.none());
      faultsOn = false;
      trace("faults none");
    } else if (action < 100) {
      if (m.crashed) {
        restart(m);
      } else {
        crash(m);
      }
    } else if (action < 106) {
      if (!m.crashed && !m.critical) {
        trace("critical " + m.id + " for " + duration / 1_000_000 + " ms");
        m.critical = true;
        chaos.schedule(Duration.ofNanos(duration), () -> m.critical = false);
      }
    } else if (action < 111) {
      if (!m.crashed && !m.frozen() && !m.hooks.isFrozen()) {
        trace("hang hooks of " + m.id + " for " + duration / 1_000_000 + " ms");
        m.hooks.freeze();
        VirtualNode hooks = m.hooks;
        chaos.schedule(
            Duration.ofNanos(duration),
            () -> {
              if (!m.crashed && hooks == m.hooks && !m.frozen()) {
                hooks.thaw();
              }
            });
      }
    } else if (config.oldMembers() == 0) {
      // Protocol version 1 has no group config: a ring with an old member cannot spread it.
      applyConfig(m, splitSeed);
    }
  }

  private void applyConfig(Member m, long splitSeed) {
    GroupEngine e = m.engine();
    if (e == null) {
      return;
    }
    io.habitat.core.GroupConfig current = e.groupConfig();
    long version = (current == null ? 0 : current.version()) + 1 + (splitSeed & 1);
    configCounter++;
    String doc = "{\"n\": " + configCounter + "}";
    trace("apply config version " + version + " on " + m.id + ": " + doc);
    m.service
        .applyConfig(version, ConfigFormat.JSON, doc)
        .whenComplete(
            (c, error) -> {
              if (error != null) {
                trace("apply on " + m.id + " refused: " + error.getMessage());
              }
            });
  }

  private void crash(Member m) {
    trace("crash " + m.id);
    m.crashed = true;
    network.crash(((CountingTransport) m.transport).delegate());
    m.node.crash();
    m.hooks.crash();
    m.dir.crashHolder();
  }

  private void restart(Member m) {
    m.incarnation++;
    trace("restart " + m.id + " incarnation " + m.incarnation);
    m.node = time.newNode(m.id.value() + "#" + m.incarnation);
    m.hooks = time.newNode(m.id.value() + "#" + m.incarnation + "-hooks");
    InMemoryTransport t = network.newTransport(m.node);
    m.transport = new CountingTransport(t, m);
    m.crashed = false;
    m.acceptedTerm = 0;
    m.supportTerm = -1;
    m.engine = null;
    m.runtime = m.newRuntime();
    if (sides != null) {
      // A restarted member joins the side of its slot.
      applySides();
    }
    m.runtime.start();
  }

  private void thaw(Member m) {
    if (m.crashed || !m.frozen()) {
      return;
    }
    disturb();
    trace("thaw " + m.id);
    m.node.thaw();
    m.hooks.thaw();
    m.thawedAt = time.nanoTime();
  }

  private void partition(long splitSeed) {
    SplittableRandom r = new SplittableRandom(splitSeed);
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();
    for (Member m : members) {
      (r.nextBoolean() ? a : b).add(m.index);
    }
    if (a.isEmpty() || b.isEmpty()) {
      return;
    }
    sides = List.of(a, b);
    trace("partition " + a + " | " + b);
    applySides();
  }

  private void applySides() {
    List<List<Integer>> s = sides;
    if (s == null) {
      return;
    }
    List<List<Transport>> split = new ArrayList<>();
    for (List<Integer> side : s) {
      List<Transport> ts = new ArrayList<>();
      for (int i : side) {
        Member m = members.get(i);
        if (!m.crashed) {
          ts.add(((CountingTransport) m.transport).delegate());
        }
      }
      split.add(ts);
    }
    network.partition(split);
  }

  private void heal() {
    if (sides == null) {
      return;
    }
    trace("heal");
    sides = null;
    network.heal();
  }

  private void quiet() {
    trace("quiet: heal, thaw, restart, no faults");
    disturb();
    heal();
    network.faults(Faults.none());
    faultsOn = false;
    hookChaos = false;
    for (Member m : members) {
      m.critical = false;
      if (m.crashed) {
        restart(m);
      } else if (m.frozen()) {
        thaw(m);
      }
      if (!m.crashed && m.hooks.isFrozen()) {
        m.hooks.thaw();
      }
    }
  }

  private void disturb() {
    if (time.nanoTime() - triggerUntil > 0) {
      lastDisturbance = time.nanoTime();
    }
    for (ElectionTally t : tallies.values()) {
      if (t.wonAt == Long.MIN_VALUE) {
        t.disturbed = true;
      }
    }
  }

  // ------------------------------------------------------------ stepping and invariants

  private void runUntil(long end) {
    while (time.nanoTime() < end && violations.isEmpty()) {
      if (!time.step()) {
        return;
      }
      steps++;
      check();
    }
  }

  /** A storm of messages that keeps virtual time from moving is a livelock, not progress. */
  private void checkProgress() {
    if (steps > MAX_STEPS) {
      violation(5, "livelock: " + MAX_STEPS + " steps without reaching the end, " + describe());
    }
  }

  private void check() {
    checkProgress();
    long now = time.nanoTime();
    for (Member m : members) {
      GroupEngine e = m.engine();
      if (e == null) {
        continue;
      }
      long durable = e.record().highestTerm().value();
      Long before = durableTerm.get(m.id);
      if (before != null && durable < before) {
        violation(2, m.id + " durable term went back from " + before + " to " + durable);
      }
      durableTerm.put(m.id, before == null ? durable : Math.max(before, durable));
      long accepted = e.term().value();
      if (accepted < m.acceptedTerm) {
        violation(2, m.id + " accepted term went back from " + m.acceptedTerm + " to " + accepted);
      }
      m.acceptedTerm = accepted;
      io.habitat.core.GroupConfig doc = e.groupConfig();
      long version = doc == null ? 0 : doc.version();
      if (version < m.maxConfigVersion) {
        violation(
            8,
            m.id + " group config version went back from " + m.maxConfigVersion + " to " + version);
      }
      m.maxConfigVersion = Math.max(m.maxConfigVersion, version);

      if (e.role() == Role.LEADER) {
        MemberId prev = leaderOfTerm.putIfAbsent(accepted, m.id);
        if (prev != null && !prev.equals(m.id)) {
          violation(1, "two leaders of term " + accepted + ": " + prev + " and " + m.id);
        }
        ElectionTally t = tallies.get(accepted);
        if (t != null && t.wonAt == Long.MIN_VALUE) {
          t.wonAt = now;
        }
        checkSupport(m, e, now);
      } else {
        m.supportTerm = -1;
      }
      checkCutOff(m, e, now);
    }
    checkLeaderHookOverlap(now);
  }

  /**
   * Invariant 10, second half: members running leader hooks of different terms at once (frozen
   * members excluded) may do so for at most the leader lease plus two ticks.
   */
  private void checkLeaderHookOverlap(long now) {
    List<Member> active = new ArrayList<>(2);
    for (Member m : members) {
      if (!m.crashed && !m.frozen() && m.leaderHookActive) {
        active.add(m);
      }
    }
    if (active.size() < 2) {
      overlapSince.clear();
      return;
    }
    TreeMap<String, Long> still = new TreeMap<>();
    for (int i = 0; i < active.size(); i++) {
      for (int j = i + 1; j < active.size(); j++) {
        Member a = active.get(i);
        Member b = active.get(j);
        if (a.leaderHookTerm == b.leaderHookTerm) {
          continue;
        }
        String key = a.id + "/" + a.leaderHookTerm + "+" + b.id + "/" + b.leaderHookTerm;
        long since = overlapSince.getOrDefault(key, now);
        still.put(key, since);
        if (now - since > leaseNanos + 2 * tickNanos) {
          violation(
              10,
              "leader hooks of "
                  + key
                  + " overlapped for "
                  + (now - since) / 1_000_000
                  + " ms: "
                  + describe());
          still.put(key, now);
        }
      }
    }
    overlapSince.clear();
    overlapSince.putAll(still);
  }

  /**
   * Invariant 3: a leader's term must be supported by a majority of its voters, where a voter
   * supports it while it follows the leader in the leader's term and can reach it. A voter that
   * stopped supporting still counts for one lease (its last acknowledgement is that old).
   */
  private void checkSupport(Member leader, GroupEngine e, long now) {
    long term = e.term().value();
    if (leader.supportTerm != term) {
      leader.supportTerm = term;
      java.util.Arrays.fill(leader.lastSupport, now);
    }
    List<MemberId> voters = e.voters();
    int support = 0;
    for (MemberId v : voters) {
      Member m = byId(v);
      if (m == null) {
        continue;
      }
      if (m == leader) {
        leader.lastSupport[m.index] = now;
      } else {
        GroupEngine ve = m.engine();
        if (ve != null
            && !m.frozen()
            && ve.term().value() == term
            && leader.id.equals(ve.leader())
            && connected(leader, m)) {
          leader.lastSupport[m.index] = now;
        }
      }
      if (now - leader.lastSupport[m.index] <= leaseNanos + 2 * tickNanos) {
        support++;
      }
    }
    if (support > voters.size() / 2 || leader.frozen() || now - leader.thawedAt <= 2 * tickNanos) {
      return;
    }
    violation(
        3,
        leader.id
            + " still leads term "
            + term
            + " though only "
            + support
            + " of its "
            + voters.size()
            + " voters supported it within the leader lease");
  }

  /** Invariant 4: no member believes it leads while cut off from a majority for a lease. */
  private void checkCutOff(Member m, GroupEngine e, long now) {
    if (m.frozen() || !e.isLeading(now)) {
      m.reachReset = true;
      return;
    }
    if (m.reachReset) {
      m.reachReset = false;
      java.util.Arrays.fill(m.lastReach, now);
    }
    List<MemberId> voters = e.voters();
    int reachable = 0;
    for (MemberId v : voters) {
      Member o = byId(v);
      if (o == null) {
        continue;
      }
      if (!o.crashed && !o.frozen() && connected(m, o)) {
        m.lastReach[o.index] = now;
      }
      if (now - m.lastReach[o.index] <= leaseNanos + 2 * tickNanos) {
        reachable++;
      }
    }
    if (reachable > voters.size() / 2) {
      return;
    }
    violation(
        4,
        m.id
            + " believes it leads term "
            + e.term()
            + " while only "
            + reachable
            + " of its "
            + voters.size()
            + " voters were reachable within the leader lease");
  }

  private boolean connected(Member a, Member b) {
    List<List<Integer>> s = sides;
    if (s == null || a == b) {
      return true;
    }
    for (List<Integer> side : s) {
      if (side.contains(a.index)) {
        return side.contains(b.index);
      }
    }
    return false;
  }

  private boolean agreedOnLeader() {
    MemberId leader = null;
    long term = -1;
    for (Member m : members) {
      if (m.crashed) {
        continue;
      }
      GroupEngine e = m.engine();
      if (e == null || e.leader() == null) {
        return false;
      }
      if (leader == null) {
        leader = e.leader();
        term = e.term().value();
      } else if (!leader.equals(e.leader()) || term != e.term().value()) {
        return false;
      }
    }
    Member l = leader == null ? null : byId(leader);
    GroupEngine le = l == null ? null : l.engine();
    return le != null && le.role() == Role.LEADER && le.isLeading(time.nanoTime());
  }

  /**
   * Whether every live member sees exactly the live members as alive and holds the same voting
   * membership: the "unchanged membership" under which an election must cost at most 2n.
   */
  private boolean membershipSettled() {
    TreeSet<MemberId> live = new TreeSet<>();
    for (Member m : members) {
      if (!m.crashed) {
        if (m.frozen()) {
          return false;
        }
        live.add(m.id);
      }
    }
    List<MemberId> voters = null;
    for (Member m : members) {
      GroupEngine e = m.engine();
      if (m.crashed) {
        continue;
      }
      if (e == null) {
        return false;
      }
      if (voters == null) {
        voters = e.voters();
      } else if (!voters.equals(e.voters())) {
        return false;
      }
      TreeSet<MemberId> alive = new TreeSet<>();
      alive.add(m.id);
      for (GroupEngine.PeerView pv : e.peers()) {
        if (pv.state() == io.habitat.core.MemberState.ALIVE) {
          alive.add(pv.id());
        }
      }
      if (!alive.equals(live)) {
        return false;
      }
    }
    return true;
  }

  private int liveMembers() {
    int n = 0;
    for (Member m : members) {
      if (!m.crashed) {
        n++;
      }
    }
    return n;
  }

  private boolean allStarted() {
    for (Member m : members) {
      if (m.engine() == null) {
        return false;
      }
    }
    return true;
  }

  private void finishTallies() {
    for (java.util.Map.Entry<Long, ElectionTally> en : tallies.entrySet()) {
      ElectionTally t = en.getValue();
      if (t.wonAt != Long.MIN_VALUE && !t.disturbed && !t.bootstrap && t.messages > 2L * t.live) {
        violation(
            6,
            "the election of term "
                + en.getKey()
                + " cost "
                + t.messages
                + " messages for "
                + t.live
                + " live members (more than 2n)");
      }
    }
  }

  private @Nullable Member byId(MemberId id) {
    return byId.get(id);
  }

  private String describe() {
    StringBuilder s = new StringBuilder();
    for (Member m : members) {
      GroupEngine e = m.engine();
      s.append(m.id).append('=');
      if (e == null) {
        s.append(m.crashed ? "crashed" : "starting");
      } else {
        s.append(e.role().configName())
            .append("/t")
            .append(e.term())
            .append("/l")
            .append(e.leader())
            .append("/v")
            .append(e.voters().size());
      }
      s.append(' ');
    }
    return s.toString().trim();
  }

  private void violation(int invariant, String text) {
    String line = "VIOLATION invariant " + invariant + ": " + text;
    violations.add(line);
    trace(line);
  }

  private void trace(String line) {
    String full = (time.nanoTime() / 1_000_000) + "ms " + line;
    digest.update(full.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    tail.addLast(full);
    if (tail.size() > (verbose ? VERBOSE_TAIL : TAIL)) {
      tail.removeFirst();
    }
  }

  // ------------------------------------------------------------ counting election messages

  /** Counts, where they arrive, the messages that belong to an election, by term. */
  private final class CountingTransport implements Transport {
    private final InMemoryTransport delegate;
    private final Member member;

    CountingTransport(InMemoryTransport delegate, Member member) {
      this.delegate = delegate;
      this.member = member;
    }

    InMemoryTransport delegate() {
      return delegate;
    }

    @Override
    public void start(Receiver receiver) {
      delegate.start(
          new Receiver() {
            @Override
            public void onView(RingView view) {
              disturb();
              receiver.onView(view);
            }

            @Override
            public void onMessage(RingAddress from, byte[] message) {
              tally(message);
              receiver.onMessage(from, message);
            }
          });
    }

    private void tally(byte[] bytes) {
      // Heartbeats (type 1) and leaves (2) are not election messages; skip decoding them.
      if (bytes.length < 4 || bytes[3] < 3) {
        return;
      }
      Wire.Envelope env;
      try {
        env = WireCodec.decode(bytes);
      } catch (WireCodec.MalformedMessageException e) {
        return;
      }
      Wire.Body b = env.body();
      if (verbose) {
        trace("  " + member.id + " <- " + env.sender() + " " + b);
      }
      long term;
      if (b instanceof Wire.Coordinator c) {
        term = c.term();
      } else if (b instanceof Wire.Election el) {
        term = el.term();
      } else if (b instanceof Wire.Answer a) {
        term = a.term();
      } else if (b instanceof Wire.Ack a) {
        GroupEngine e = member.engine();
        if (e == null
            || e.role() != Role.CANDIDATE
            || e.record().highestTerm().value() != a.term()) {
          return;
        }
        term = a.term();
      } else if (b instanceof Wire.ConfigChange c) {
        ElectionTally t = tallies.get(c.term());
        if (t != null) {
          t.disturbed = true;
        }
        return;
      } else {
        return;
      }
      ElectionTally t = tallies.get(term);
      if (t != null
          && t.wonAt != Long.MIN_VALUE
          && (!(b instanceof Wire.Ack)
              || time.nanoTime() - t.wonAt > config.timing().electionTimeout().toNanos())) {
        // After the win only the answers to the winning claim belong to the election; a late
        // claim of the same term is a new contest.
        return;
      }
      if (t == null) {
        t = new ElectionTally();
        // Only elections that start on a group that has been settled for a second count: the
        // leader's crash in the clean failover is their trigger, not a disturbance.
        t.disturbed =
            faultsOn || time.nanoTime() - lastDisturbance < 1_000_000_000L || !membershipSettled();
        t.live = liveMembers();
        t.bootstrap =
            b instanceof Wire.Coordinator c
                && c.config().version() == 0
                && c.config().term() == c.term();
        tallies.put(term, t);
      }
      // Count what was sent, once: the same kind of message between the same two members for
      // the same term is one message (a heartbeat's acknowledgement is not a second vote).
      String key = env.sender() + ">" + member.id + ":" + WireCodec.typeName(b);
      if (t.seen.add(key)) {
        t.messages++;
      }
    }

    @Override
    public RingAddress localAddress() {
      return delegate.localAddress();
    }

    @Override
    public void send(RingAddress to, byte[] message) {
      delegate.send(to, message);
    }

    @Override
    public void sendToAll(byte[] message) {
      delegate.sendToAll(message);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
