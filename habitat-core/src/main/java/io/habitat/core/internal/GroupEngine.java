package io.habitat.core.internal;

import io.habitat.core.GroupConfig;
import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Role;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Timing;
import io.habitat.core.Topology;
import io.habitat.core.internal.Wire.Ack;
import io.habitat.core.internal.Wire.Answer;
import io.habitat.core.internal.Wire.Body;
import io.habitat.core.internal.Wire.ConfigChange;
import io.habitat.core.internal.Wire.ConfigDoc;
import io.habitat.core.internal.Wire.ConfigId;
import io.habitat.core.internal.Wire.Coordinator;
import io.habitat.core.internal.Wire.Depart;
import io.habitat.core.internal.Wire.DocId;
import io.habitat.core.internal.Wire.Election;
import io.habitat.core.internal.Wire.Envelope;
import io.habitat.core.internal.Wire.Exports;
import io.habitat.core.internal.Wire.ExportsRequest;
import io.habitat.core.internal.Wire.Heartbeat;
import io.habitat.core.internal.Wire.Leave;
import io.habitat.core.internal.Wire.Reelect;
import io.habitat.core.spi.MemberRecord;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership and election state machine of one member in one service group: a Bully election
 * with terms, a committed voting membership, quorum and check-quorum. It does no I/O and reads no
 * clock: every input carries the loop's time, every output goes through {@link Effects}, so the
 * same inputs always give the same outputs. Not thread-safe: driven from one event loop.
 *
 * <p>The rules, and why each one is needed, are in {@code docs/election.md}.
 */
public final class GroupEngine {
  private static final Logger log = LoggerFactory.getLogger(GroupEngine.class);

  /** Where the engine's decisions go. Called synchronously, on the engine's thread. */
  public interface Effects {
    /** Send to one member's ring address. */
    void send(RingAddress to, Body body);

    /** Send to every other member of the ring. */
    void sendToAll(Body body);

    /**
     * Make the record durable before returning; the engine sends nothing that relies on it first.
     */
    void persist(MemberRecord record);

    /** This member now leads {@code term}. Always followed, eventually, by {@link #revoked}. */
    void elected(Term term);

    /** This member no longer leads {@code term}. */
    void revoked(Term term, String reason);

    /** The census changed (members, states, leader, term, membership). */
    void censusChanged();

    /** The member cannot take part (for example its id is taken); it has stopped. */
    void fatal(String message);

    /** This member's claim of {@code term} failed. */
    void claimLost(Term term, String reason);

    /**
     * An operator departed this member: the runtime hands over if it leads, then leaves the group
     * for good ({@link #leave}). Called once.
     */
    void departed(String reason);
  }

  /** Deliberate defects, used only by the simulation to prove its invariants can fail. */
  public enum Mutation {
    /** A candidate leads on its own vote, without a majority. */
    NO_QUORUM_CHECK,
    /** A leader never steps down when acknowledgements stop. */
    NO_CHECK_QUORUM,
    /** Terms are not made durable, so a restarted member forgets them. */
    TERM_NOT_PERSISTED,
    /** The leader counts any heartbeat as an acknowledgement, whatever term it carries. */
    ACKS_WITHOUT_TERM,
    /**
     * The initializer's leader marks the group initialised as soon as its init hook returns,
     * without waiting for its health check to report OK (applied by the group runtime).
     */
    RELEASE_BEFORE_HEALTH
  }

  /** The fixed settings of one engine. */
  public record Settings(
      ServiceGroup group,
      Topology topology,
      int bootstrapSize,
      Timing timing,
      long departAfterNanos,
      Set<Mutation> mutations,
      int criticalThreshold,
      long handOffTimeoutNanos,
      boolean preempt,
      Health initialHealth) {
    /** Copies the mutation set. */
    public Settings {
      mutations =
          mutations.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(mutations));
    }
  }

  /** What the engine knows of another member. */
  static final class Peer {
    final MemberId id;
    RingAddress address;
    long incarnation;
    MemberState state = MemberState.ALIVE;
    long lastHeard;
    long confirmedSince;
    long suitability;
    boolean eligible;
    long acceptedTerm;
    @Nullable MemberId leader;
    boolean leading;
    ConfigId config = ConfigId.NONE;
    boolean heard;
    Health health = Health.UNKNOWN;
    // A member that publishes exports announces version 1 or more; one that announces 0 (an
    // older protocol version) has none, and its empty exports are current.
    long exportsAnnounced;
    long exportsHeld;
    long exportsRequestedAt;
    Map<String, String> exports = Map.of();
    long initialisedTerm;
    String initError = "";
    DocId groupConfig = DocId.NONE;
    boolean configPushed;
    long configPushedAt;
    boolean exportsRequested;

    Peer(MemberId id, RingAddress address) {
      this.id = id;
      this.address = address;
    }
  }

  private final Settings settings;
  private final MemberId self;
  private final long incarnation;
  private final Effects fx;
  private final long suspectNanos;
  private final long confirmNanos;
  private final long leaseNanos;
  private final long electionTimeoutNanos;

  private MemberRecord record;
  private final Term persistedTerm;
  private @Nullable RingAddress selfAddress;
  private final TreeMap<MemberId, Peer> peers = new TreeMap<>();
  private Role role = Role.FOLLOWER;
  private long suitability;
  private boolean eligible = true;
  private boolean yielding;
  private long yieldedUntil;
  private boolean handOffYields;
  private Health health = Health.UNKNOWN;
  private boolean handingOff;
  private long handOffSince;
  private Map<String, String> exports = Map.of();
  private long exportsVersion = 1;
  private String initError = "";
  private @Nullable GroupConfig groupConfig;
  private long initialisedTerm;

  /** The highest term accepted (as follower) or won; 0 before any. */
  private long acceptedTerm;

  private @Nullable MemberId leader;
  private long maxTermSeen;

  private ConfigId config = ConfigId.NONE;
  private List<MemberId> voters = List.of();

  // candidate
  private long claimTerm;

  /** The membership a claim counts against: the committed one, or a provisional bootstrap one. */
  private ConfigId claimConfig = ConfigId.NONE;

  private List<MemberId> claimVoters = List.of();
  private boolean bootstrapClaim;
  private long claimStarted;
  private final TreeSet<MemberId> votes = new TreeSet<>();
  private final TreeSet<MemberId> refusals = new TreeSet<>();
  private int failedClaims;
  private boolean backingOff;
  private long nextClaimNotBefore;

  // follower waiting on a higher-ranked member
  private long waitingSince = Long.MIN_VALUE;
  private boolean probed;

  // leader
  private final TreeMap<MemberId, Long> lastAck = new TreeMap<>();
  private volatile long leaseExpiresAt = Long.MIN_VALUE;
  private volatile boolean leading;
  private @Nullable ConfigChange pending;
  private long pendingSince;
  private List<MemberId> pendingOldVoters = List.of();
  private final TreeSet<MemberId> pendingAcks = new TreeSet<>();
  private final TreeSet<MemberId> left = new TreeSet<>();

  /** Members an operator departed: ignored, and told so, from then on. */
  private final TreeSet<MemberId> departed = new TreeSet<>();

  /** Live members an operator departed: they leave gracefully, then count as departed. */
  private final TreeSet<MemberId> departing = new TreeSet<>();

  private boolean departedSelf;

  private long electionMessages;
  private final TreeSet<MemberId> leaveAwaited = new TreeSet<>();
  private final TreeSet<MemberId> leaveAcks = new TreeSet<>();
  private long clock;
  private long startedAt;
  private final TreeMap<MemberId, Long> voteEcho = new TreeMap<>();

  /** A new engine with the member's durable record. */
  public GroupEngine(
      Settings settings,
      MemberId self,
      long incarnation,
      long suitability,
      MemberRecord record,
      Effects fx) {
    this.settings = settings;
    this.self = self;
    this.incarnation = incarnation;
    this.suitability = suitability;
    this.record = record;
    this.persistedTerm = record.highestTerm();
    this.fx = fx;
    Timing t = settings.timing();
    this.suspectNanos = t.suspectAfter().toNanos();
    this.confirmNanos = t.confirmAfter().toNanos();
    this.leaseNanos = t.leaderLease().toNanos();
    this.electionTimeoutNanos = t.electionTimeout().toNanos();
    this.maxTermSeen = record.highestTerm().value();
    this.health = settings.initialHealth();
    this.eligible = health != Health.CRITICAL;
    this.groupConfig = record.groupConfig();
    this.initialisedTerm = record.initialised() ? Math.max(1, record.initialisedTerm().value()) : 0;
    MemberRecord.Membership m = record.membership();
    if (m.term() > 0 || m.version() > 0) {
      this.config = new ConfigId(m.term(), m.version());
      this.voters = m.voters();
    }
  }

  // ---------------------------------------------------------------- inputs

  /** The transport is connected: the member's address and first view are known. */
  public void start(long now, RingAddress address, RingView view) {
    clock = now;
    startedAt = now;
    this.selfAddress = address;
    onView(now, view);
    sendHeartbeat();
    evaluate(now);
  }

  /** A periodic tick, every heartbeat interval. */
  public void onTick(long now) {
    clock = now;
    if (role == Role.STOPPED) {
      return;
    }
    boolean changed = false;
    for (Peer p : peers.values()) {
      long silent = now - p.lastHeard;
      if (p.state == MemberState.ALIVE && silent > suspectNanos) {
        p.state = MemberState.SUSPECT;
        changed = true;
      }
      if (p.state == MemberState.SUSPECT && silent > confirmNanos) {
        confirm(p, now);
        changed = true;
      }
    }
    if (changed) {
      fx.censusChanged();
    }
    sendHeartbeat();
    evaluate(now);
  }

  /** The ring installed a view. Members missing from it are confirmed dead (crash or partition). */
  public void onView(long now, RingView view) {
    clock = now;
    if (role == Role.STOPPED) {
      return;
    }
    boolean changed = false;
    for (Peer p : peers.values()) {
      if (!view.contains(p.address) && p.state != MemberState.CONFIRMED) {
        confirm(p, now);
        changed = true;
      }
    }
    if (changed) {
      fx.censusChanged();
      evaluate(now);
    }
  }

  /** A decoded message from the ring, for this engine's group. */
  public void onMessage(long now, RingAddress from, Envelope env) {
    clock = now;
    if (role == Role.STOPPED) {
      if (env.body() instanceof Ack a && a.term() == 0) {
        leaveAcks.add(env.sender());
      }
      return;
    }
    if (env.body() instanceof ExportsRequest) {
      // Answered before anything else: services that bind to this group ask without joining it.
      fx.send(from, new Exports(exportsVersion, exports));
      return;
    }
    if (env.sender().equals(self)) {
      if (!from.equals(selfAddress)) {
        duplicate(from, env.incarnation());
      }
      return;
    }
    Body body = env.body();
    if (departed.contains(env.sender())) {
      if (!(body instanceof Leave) && !(body instanceof Depart)) {
        fx.send(from, new Depart(env.sender()));
      }
      return;
    }
    if (body instanceof Depart d) {
      if (d.member().equals(self)) {
        departSelf(env.sender() + " departed this member");
      } else {
        departPeer(now, d.member());
      }
      return;
    }
    if (body instanceof Leave) {
      // Acknowledge the goodbye (term 0), so that the leaver can close once everyone has it.
      fx.send(from, new Ack(0, true, record.highestTerm().value(), config, 0));
      onLeave(now, env.sender());
      return;
    }
    Peer p = touch(now, from, env);
    if (body instanceof Heartbeat h) {
      onHeartbeat(now, p, h);
    } else if (body instanceof Coordinator c) {
      electionMessages++;
      onCoordinator(now, p, c);
    } else if (body instanceof Ack a) {
      onAck(now, p, a);
    } else if (body instanceof Election e) {
      electionMessages++;
      onElection(now, p, e);
    } else if (body instanceof Answer a) {
      electionMessages++;
      onAnswer(now, a);
    } else if (body instanceof ConfigChange c) {
      onConfigChange(p, c);
    } else if (body instanceof Exports x) {
      if (x.version() > p.exportsHeld) {
        p.exportsHeld = x.version();
        p.exports = x.entries();
        fx.censusChanged();
      }
    } else if (body instanceof ConfigDoc d) {
      adoptGroupConfig(d.config());
    } else if (body instanceof Reelect r) {
      if (role == Role.LEADER && r.term() == acceptedTerm) {
        log.info("{}: {} asked for a re-election of term {}", settings.group(), p.id, r.term());
        handOff(now, false, "re-election requested by " + p.id);
      }
    }
    evaluate(now);
  }

  /**
   * The leader hands over: it steps down, stays ineligible for two election timeouts, and keeps
   * naming itself as the leader until {@link #handOffDone} (its revoked hooks have run), so that no
   * successor claims before. Returns whether it led.
   */
  public boolean yieldLeadership(long now) {
    clock = now;
    return handOff(now, true, "yielded");
  }

  /**
   * Forces a re-election: the leader hands over (still eligible), a follower asks its leader to.
   * Returns whether this member led.
   */
  public boolean reelect(long now) {
    clock = now;
    if (role == Role.LEADER) {
      return handOff(now, false, "re-election requested");
    }
    Peer l = leader == null ? null : peers.get(leader);
    if (l != null && role == Role.FOLLOWER) {
      fx.send(l.address, new Reelect(acceptedTerm));
    }
    return false;
  }

  /**
   * An operator departs {@code member} from the group for good (Habitat's {@code hab sup depart}).
   * A live member leaves gracefully when it reads this (handing over first if it leads) and counts
   * as departed once its goodbye arrives; a suspect, dead or left member is departed at once, so
   * the leader removes it from the voting membership without waiting for the departure timeout.
   * Every member ignores a departed member from then on and answers it with the departure, so that
   * one restarted under the same id stops at once. Departures are held in memory: a member that was
   * cut off when it was sent, or that starts later, does not learn it. Returns false, and sends
   * nothing, if the member is unknown here.
   */
  public boolean depart(long now, MemberId member) {
    clock = now;
    if (role == Role.STOPPED) {
      return false;
    }
    if (member.equals(self)) {
      fx.sendToAll(new Depart(member));
      departSelf("departed by an operator on this member");
      return true;
    }
    if (!peers.containsKey(member)
        && !left.contains(member)
        && !departed.contains(member)
        && !voters.contains(member)) {
      return false;
    }
    fx.sendToAll(new Depart(member));
    departPeer(now, member);
    return true;
  }

  /** The members an operator departed, as this member knows them. */
  public Set<MemberId> departed() {
    return Collections.unmodifiableSet(new TreeSet<>(departed));
  }

  /** Whether an operator departed this member. */
  public boolean departedSelf() {
    return departedSelf;
  }

  private void departSelf(String reason) {
    if (departedSelf) {
      return;
    }
    departedSelf = true;
    log.warn("{}: {}: leaving the group for good", settings.group(), reason);
    fx.departed(reason);
  }

  private void departPeer(long now, MemberId member) {
    Peer p = peers.get(member);
    if (p != null && p.state == MemberState.ALIVE) {
      // It reads the departure too and leaves gracefully; its goodbye completes it.
      departing.add(member);
      fx.censusChanged();
      return;
    }
    departing.remove(member);
    departed.add(member);
    log.info("{}: {} departed", settings.group(), member);
    if (p != null) {
      onLeave(now, member);
    } else {
      left.add(member);
      fx.censusChanged();
      evaluate(now);
    }
  }

  /** The revoked hooks of term's hand-off have run (or timed out): successors may claim now. */
  public void handOffDone(long now, Term term) {
    clock = now;
    if (handingOff && acceptedTerm == term.value()) {
      endHandOff(now);
      evaluate(now);
    }
  }

  /**
   * Lets successors claim. A member that yielded stays ineligible for two election timeouts from
   * now, not from when it yielded: its revoked hooks may have taken longer than that, and it must
   * not win its own hand-off back.
   */
  private void endHandOff(long now) {
    handingOff = false;
    if (handOffYields) {
      yieldedUntil = now + electionTimeoutNanos * 2;
      handOffYields = false;
    }
    sendHeartbeat();
  }

  /** Whether a hand-off waits for {@link #handOffDone}. */
  public boolean handingOff() {
    return handingOff;
  }

  private boolean handOff(long now, boolean yield, String reason) {
    if (role != Role.LEADER) {
      return false;
    }
    if (yield) {
      yielding = true;
      yieldedUntil = now + electionTimeoutNanos * 2;
    }
    handOffYields = yield;
    stepDown(reason);
    handingOff = true;
    handOffSince = now;
    sendHeartbeat();
    return true;
  }

  /** The member leaves the group gracefully: revocation first, then a goodbye to all. */
  public void leave(long now) {
    clock = now;
    if (role == Role.STOPPED) {
      return;
    }
    leaveAwaited.clear();
    for (Peer p : peers.values()) {
      if (p.state == MemberState.ALIVE) {
        leaveAwaited.add(p.id);
      }
    }
    if (role == Role.LEADER) {
      stepDown("member is leaving");
    }
    transition(Role.STOPPED);
    fx.sendToAll(new Leave());
    fx.censusChanged();
  }

  /**
   * A health check reported: a critical member never claims, and a leader abdicates after {@code
   * consecutiveCritical} reaches the critical threshold.
   */
  public void setHealth(long now, Health health, int consecutiveCritical) {
    clock = now;
    boolean changed = this.health != health;
    this.health = health;
    this.eligible = health != Health.CRITICAL;
    if (role == Role.LEADER
        && health == Health.CRITICAL
        && consecutiveCritical >= settings.criticalThreshold()) {
      stepDown("health critical for " + consecutiveCritical + " consecutive checks");
      changed = true;
    }
    if (changed) {
      fx.censusChanged();
      sendHeartbeat();
    }
    evaluate(now);
  }

  /** The member's last health. */
  public Health health() {
    return health;
  }

  /** Replaces this member's exports and announces them. */
  public void setExports(Map<String, String> exports) {
    if (exports.equals(this.exports)) {
      return;
    }
    this.exports = exports;
    exportsVersion++;
    fx.sendToAll(new Exports(exportsVersion, exports));
    fx.censusChanged();
  }

  /** This member's exports. */
  public Map<String, String> exports() {
    return exports;
  }

  /**
   * Applies a checked group config from this member. Returns null when accepted (durable here and
   * announced), else why not.
   */
  public @Nullable String applyGroupConfig(GroupConfig candidate) {
    GroupConfig current = groupConfig;
    if (current != null && candidate.version() <= current.version()) {
      return "config version "
          + candidate.version()
          + " is not higher than version "
          + current.version()
          + " which "
          + settings.group()
          + " already holds; nothing was applied: apply it again with version "
          + (current.version() + 1)
          + " or higher";
    }
    adoptGroupConfig(candidate);
    // The applier announces it; members that adopt it do not repeat it (n messages, not n²),
    // and any member that missed it gets it pushed when its heartbeat shows the older document.
    fx.sendToAll(new ConfigDoc(candidate));
    return null;
  }

  /** The newest group config this member holds. */
  public @Nullable GroupConfig groupConfig() {
    return groupConfig;
  }

  private void adoptGroupConfig(GroupConfig c) {
    GroupConfig current = groupConfig;
    if (current != null && !c.isAfter(current)) {
      return;
    }
    groupConfig = c;
    record = record.withGroupConfig(c);
    persist(record);
    fx.censusChanged();
  }

  /**
   * The leader of {@code term} ran its init hook and (unless mutated) reported healthy: the group
   * is initialised. Returns false, changing nothing, if this member no longer leads that term.
   */
  public boolean markInitialised(long now, Term term) {
    clock = now;
    if (role != Role.LEADER || acceptedTerm != term.value() || !isLeading(now)) {
      return false;
    }
    if (initialisedTerm == 0) {
      initialisedTerm = term.value();
      record = record.withInitialised(term);
      persist(record);
    }
    initError = "";
    sendHeartbeat();
    fx.censusChanged();
    return true;
  }

  /** The term that initialised the group, 0 if this member does not know it is initialised. */
  public long initialisedTerm() {
    return initialisedTerm;
  }

  /** Reports the leader's last init failure ("" when none) in its heartbeats and census. */
  public void setInitError(String error) {
    // At most 120 characters: a heartbeat string holds 512 bytes of UTF-8.
    String e = error.length() > 120 ? error.substring(0, 120) : error;
    if (!e.equals(initError)) {
      initError = e;
      fx.censusChanged();
      sendHeartbeat();
    }
  }

  /** The init failure this member knows of: its own while it leads, else its leader's. */
  public String initError() {
    if (role == Role.LEADER || leader == null) {
      return initError;
    }
    Peer l = peers.get(leader);
    return l == null ? "" : l.initError;
  }

  /** Where the election stands, as this member sees it. */
  public io.habitat.core.ElectionStatus electionStatus() {
    if (!settings.topology().electsLeader()) {
      return io.habitat.core.ElectionStatus.NONE;
    }
    if (leader != null) {
      return io.habitat.core.ElectionStatus.SETTLED;
    }
    if (role == Role.CANDIDATE || waitingSince != Long.MIN_VALUE || backingOff) {
      return io.habitat.core.ElectionStatus.RUNNING;
    }
    return io.habitat.core.ElectionStatus.WAITING;
  }

  /** The member's suitability changed; it applies from the next election. */
  public void setSuitability(long suitability) {
    this.suitability = suitability;
  }

  // ---------------------------------------------------------------- queries

  /** Whether every member that was alive when this one left has acknowledged its goodbye. */
  public boolean leaveAcknowledged() {
    return leaveAcks.containsAll(leaveAwaited);
  }

  /** This member's role. */
  public Role role() {
    return role;
  }

  /**
   * Whether this member leads and its lease holds at {@code now}. Safe to call from any thread; a
   * leader whose thread was frozen finds its lease expired the moment it looks.
   */
  public boolean isLeading(long now) {
    return leading
        && (settings.mutations().contains(Mutation.NO_CHECK_QUORUM) || now - leaseExpiresAt < 0);
  }

  /** When the leader's lease runs out (loop nanos); meaningless unless it leads. */
  public long leaseExpiresAtNanos() {
    return leaseExpiresAt;
  }

  /** The term this member accepted or leads, {@link Term#ZERO} before any. */
  public Term term() {
    return Term.of(acceptedTerm);
  }

  /** The leader this member follows or is, if any. */
  public @Nullable MemberId leader() {
    return leader;
  }

  /** The committed (or newest known) voting membership. */
  public List<MemberId> voters() {
    return voters;
  }

  /** Its id. */
  public ConfigId configId() {
    return config;
  }

  /** The member's durable record as last persisted. */
  public MemberRecord record() {
    return record;
  }

  /** This member's id. */
  public MemberId self() {
    return self;
  }

  /** The number of election messages (election, answer, coordinator) received. */
  public long electionMessagesReceived() {
    return electionMessages;
  }

  /** The other members, by id: state, address, suitability, eligibility, role. */
  public List<PeerView> peers() {
    List<PeerView> out = new ArrayList<>(peers.size());
    for (Peer p : peers.values()) {
      out.add(view(p));
    }
    return out;
  }

  /** A read-only view of one peer. */
  public record PeerView(
      MemberId id,
      RingAddress address,
      MemberState state,
      long suitability,
      boolean eligible,
      boolean leading,
      Health health,
      Map<String, String> exports,
      boolean exportsCurrent,
      long acceptedTerm) {}

  /** One peer's view, if it is known. */
  public @Nullable PeerView peer(MemberId id) {
    Peer p = peers.get(id);
    return p == null ? null : view(p);
  }

  private PeerView view(Peer p) {
    return new PeerView(
        p.id,
        p.address,
        p.state,
        p.suitability,
        p.eligible,
        p.leading && p.acceptedTerm == acceptedTerm,
        p.health,
        p.exports,
        p.exportsHeld >= p.exportsAnnounced,
        p.acceptedTerm);
  }

  /** This member's suitability. */
  public long suitability() {
    return suitability;
  }

  /** Whether this member may lead: healthy, not stopped, and not yielding. */
  public boolean eligible() {
    return eligible && role != Role.STOPPED && (!yielding || clock - yieldedUntil >= 0);
  }

  // ---------------------------------------------------------------- message handling

  private Peer touch(long now, RingAddress from, Envelope env) {
    Peer p = peers.get(env.sender());
    boolean changed = false;
    if (p == null) {
      p = new Peer(env.sender(), from);
      peers.put(env.sender(), p);
      changed = true;
    } else if (!p.address.equals(from) || p.incarnation != env.incarnation()) {
      if (p.incarnation != env.incarnation()) {
        // A restarted member counts its exports from scratch.
        p.exportsHeld = 0;
        p.exportsAnnounced = 0;
        p.exports = Map.of();
        p.exportsRequested = false;
      }
      p.address = from;
      changed = true;
    }
    p.incarnation = env.incarnation();
    p.lastHeard = now;
    if (p.state != MemberState.ALIVE) {
      p.state = MemberState.ALIVE;
      changed = true;
    }
    left.remove(p.id);
    if (changed) {
      fx.censusChanged();
    }
    return p;
  }

  private void onHeartbeat(long now, Peer p, Heartbeat h) {
    boolean changed =
        p.suitability != h.suitability()
            || p.eligible != h.eligible()
            || p.leading != h.leading()
            || p.acceptedTerm != h.acceptedTerm();
    p.heard = true;
    p.suitability = h.suitability();
    p.eligible = h.eligible();
    p.acceptedTerm = h.acceptedTerm();
    p.leader = h.leader();
    p.leading = h.leading();
    p.config = h.config();
    changed |= p.health != h.health() || !p.initError.equals(h.initError());
    p.health = h.health();
    p.initError = h.initError();
    p.exportsAnnounced = h.exportsVersion();
    p.groupConfig = h.groupConfig();
    p.initialisedTerm = h.initialisedTerm();
    seeTerm(h.highestTerm());
    if (p.exportsAnnounced > p.exportsHeld
        && (!p.exportsRequested || now - p.exportsRequestedAt >= electionTimeoutNanos)) {
      p.exportsRequested = true;
      p.exportsRequestedAt = now;
      fx.send(p.address, new ExportsRequest());
    }
    if (h.initialisedTerm() > 0 && initialisedTerm == 0) {
      // Any member that knows the group is initialised may tell: only a leader that finished
      // init (and reported healthy) ever sets it first.
      initialisedTerm = h.initialisedTerm();
      record = record.withInitialised(Term.of(initialisedTerm));
      persist(record);
      changed = true;
    }
    GroupConfig doc = groupConfig;
    if (doc != null
        && h.groupConfig().compareTo(DocId.of(doc)) < 0
        && (!p.configPushed || now - p.configPushedAt >= confirmNanos)) {
      // Push, not pull: the sender of a newer document is the one that notices.
      p.configPushed = true;
      p.configPushedAt = now;
      fx.send(p.address, new ConfigDoc(doc));
    }

    boolean ignoresTerms = settings.mutations().contains(Mutation.ACKS_WITHOUT_TERM);
    if (h.leading()) {
      if (h.acceptedTerm() > acceptedTerm && !ignoresTerms) {
        // A leader of a higher term exists (after a merge, or we missed its claim): follow it.
        follow(p.id, h.acceptedTerm(), "a leader of a higher term exists");
        changed = true;
      } else if (h.acceptedTerm() == acceptedTerm && role != Role.LEADER && !p.id.equals(leader)) {
        leader = p.id;
        changed = true;
      }
    } else if (p.id.equals(leader) && role == Role.FOLLOWER) {
      // Our leader neither leads our term nor still claims it: it stepped down, yielded, or its
      // claim failed. We have no leader any more.
      boolean claimsIt = p.id.equals(h.leader());
      if (!claimsIt || h.acceptedTerm() > acceptedTerm) {
        leader = null;
        changed = true;
      }
    }
    if (role == Role.LEADER
        && !ignoresTerms
        && voters.contains(p.id)
        && h.acceptedTerm() > acceptedTerm
        && !h.leading()
        && h.leader() == null) {
      // A voter accepted a higher term whose claim failed: it can never acknowledge our term
      // again. Move the whole group to a term above it, keeping the same leader.
      stepDown("a voter holds the higher term " + h.acceptedTerm());
      if (canLead(now)) {
        claim(now);
      }
      fx.censusChanged();
      return;
    }

    if (role != Role.LEADER && !config.equals(ConfigId.NONE) && h.config().compareTo(config) < 0) {
      // Gossip: a member behind on the voting membership gets ours (term 0: not from a leader).
      fx.send(p.address, new ConfigChange(0, config, voters));
    }
    if (role == Role.FOLLOWER
        && h.leading()
        && p.id.equals(leader)
        && h.acceptedTerm() == acceptedTerm) {
      // The acknowledgement the leader's check-quorum counts: our term, and its own timestamp.
      fx.send(
          p.address,
          new Ack(acceptedTerm, true, record.highestTerm().value(), config, h.timestamp()));
    }
    if (role == Role.LEADER) {
      if (ignoresTerms && voters.contains(p.id)) {
        // The defect: any heartbeat counts, whatever its term, as of when it arrived.
        lastAck.put(p.id, now);
        refreshLease(now);
      }
      if (h.config().compareTo(config) < 0 && pending == null) {
        fx.send(p.address, new ConfigChange(acceptedTerm, config, voters));
      } else if (pending != null && !pending.config().equals(h.config())) {
        fx.send(p.address, pending);
      }
      if (pending != null && pending.config().equals(h.config())) {
        pendingAcks.add(p.id);
      }
    }
    if (changed) {
      fx.censusChanged();
    }
  }

  private void onCoordinator(long now, Peer p, Coordinator c) {
    seeTerm(c.term());
    String refusal = refusalOf(now, p, c);
    if (refusal != null) {
      fx.send(
          p.address, new Ack(c.term(), false, record.highestTerm().value(), config, c.timestamp()));
      return;
    }
    boolean bootstrap = c.config().version() == 0 && c.config().term() == c.term();
    if (c.config().isAfter(config) && !bootstrap) {
      adoptConfig(c.config(), c.voters());
    }
    follow(p.id, c.term(), "accepted a coordinator");
    fx.send(p.address, new Ack(c.term(), true, c.term(), config, c.timestamp()));
    fx.censusChanged();
  }

  /** Why a coordinator's claim is refused, or null to accept it. */
  private @Nullable String refusalOf(long now, Peer candidate, Coordinator c) {
    if (c.term() <= record.highestTerm().value()) {
      return "term " + c.term() + " is not above " + record.highestTerm();
    }
    if (c.config().compareTo(config) < 0) {
      return "candidate's membership " + c.config() + " is older than " + config;
    }
    if (role == Role.LEADER && isLeading(now)) {
      return "this member leads with quorum";
    }
    if (leader != null && !leader.equals(candidate.id) && role != Role.LEADER) {
      Peer l = peers.get(leader);
      if (l != null
          && l.state == MemberState.ALIVE
          && l.leading
          && now - l.lastHeard <= suspectNanos) {
        return "the leader " + leader + " is alive";
      }
    }
    return null;
  }

  private void onAck(long now, Peer p, Ack a) {
    seeTerm(a.highestTerm());
    if (role == Role.CANDIDATE && a.term() == claimTerm) {
      electionMessages++;
      if (a.accepted()) {
        if (claimVoters.contains(p.id)) {
          votes.add(p.id);
          voteEcho.put(p.id, Math.min(a.echo(), now));
        }
      } else if (claimVoters.contains(p.id)) {
        refusals.add(p.id);
      }
      if (claimWon()) {
        win(now);
      } else if (cannotWin()) {
        loseClaim("a majority refused term " + claimTerm);
      }
      return;
    }
    boolean ignoresTerms = settings.mutations().contains(Mutation.ACKS_WITHOUT_TERM);
    if (role == Role.LEADER && (a.term() == acceptedTerm || ignoresTerms) && a.accepted()) {
      if (voters.contains(p.id) && a.echo() != 0) {
        // Counted from when we sent what it answers, so a late acknowledgement cannot stretch
        // the lease (a leader that was frozen reads a backlog of them when it wakes).
        long sent = ignoresTerms ? now : Math.min(a.echo(), now);
        Long before = lastAck.get(p.id);
        if (before == null || sent - before > 0) {
          lastAck.put(p.id, sent);
        }
        refreshLease(now);
      }
      if (pending != null && a.config().equals(pending.config())) {
        pendingAcks.add(p.id);
      }
    }
  }

  private void onElection(long now, Peer p, Election e) {
    seeTerm(e.term());
    if (role == Role.STOPPED || !canLead(now)) {
      return;
    }
    if (role == Role.LEADER || role == Role.CANDIDATE || hasLiveLeader(now)) {
      return;
    }
    fx.send(p.address, new Answer(e.term()));
    // Bully: a prober reached us, so we take over; but only the highest-ranked member claims at
    // once, the others wait for it, so that the members that answered do not split the vote.
    MemberId top = topRanked(now, electorate());
    if (self.equals(top)) {
      claim(now);
    } else if (waitingSince == Long.MIN_VALUE) {
      waitingSince = now;
      probed = false;
    }
  }

  private void onAnswer(long now, Answer a) {
    seeTerm(a.term());
    if (role == Role.FOLLOWER) {
      waitingSince = now;
    }
  }

  private void onConfigChange(Peer p, ConfigChange c) {
    if (c.term() == 0) {
      // Gossip may carry a change that is not committed yet: a leader or a candidate counts its
      // majorities against its own membership, never against one it merely heard of.
      if (role == Role.FOLLOWER && c.config().isAfter(config)) {
        adoptConfig(c.config(), c.voters());
        fx.censusChanged();
      }
      return;
    }
    if (c.term() < acceptedTerm) {
      return;
    }
    if (c.term() > acceptedTerm) {
      // Only the leader of a term sends its membership: we follow it, as its heartbeat would
      // make us do (even when gossip already brought us the same membership).
      follow(p.id, c.term(), "membership from a leader of a higher term");
    }
    if (c.config().isAfter(config)) {
      adoptConfig(c.config(), c.voters());
    }
    if (c.config().equals(config)) {
      fx.send(p.address, new Ack(c.term(), true, record.highestTerm().value(), config, 0));
    }
    fx.censusChanged();
  }

  private void onLeave(long now, MemberId who) {
    if (departing.remove(who)) {
      departed.add(who);
      log.info("{}: {} departed", settings.group(), who);
    }
    Peer p = peers.remove(who);
    if (p == null) {
      return;
    }
    left.add(who);
    lastAck.remove(who);
    if (who.equals(leader)) {
      leader = null;
    }
    if (pending != null && !pending.voters().contains(who)) {
      pendingAcks.add(who);
    }
    fx.censusChanged();
    evaluate(now);
  }

  private void duplicate(RingAddress other, long otherIncarnation) {
    boolean iAmNewer =
        incarnation > otherIncarnation
            || (incarnation == otherIncarnation
                && selfAddress != null
                && selfAddress.compareTo(other) > 0);
    if (!iAmNewer) {
      return;
    }
    String message =
        "member id "
            + self
            + " is already used by a live member at "
            + other
            + " in group "
            + settings.group()
            + ": this newer member refuses to join. Give each member its own id (or data"
            + " directory), or stop the other one first.";
    if (role == Role.LEADER) {
      stepDown("duplicate member id");
    }
    transition(Role.STOPPED);
    fx.fatal(message);
    fx.censusChanged();
  }

  // ---------------------------------------------------------------- decisions

  /** Looks at the state and takes whatever step is due. */
  private void evaluate(long now) {
    if (role == Role.STOPPED || !settings.topology().electsLeader()) {
      return;
    }
    switch (role) {
      case LEADER -> leaderDuties(now);
      case CANDIDATE -> {
        if (now - claimStarted > electionTimeoutNanos) {
          loseClaim("no majority within the election timeout");
        }
      }
      case FOLLOWER -> followerDuties(now);
      default -> {}
    }
  }

  private void leaderDuties(long now) {
    if (voters.size() == 1 && voters.get(0).equals(self)) {
      // A lone voter is its own majority and nobody else acknowledges it: the majority-th most
      // recent acknowledgement is its own, now.
      refreshLease(now);
    }
    if (!settings.mutations().contains(Mutation.NO_CHECK_QUORUM) && now - leaseExpiresAt >= 0) {
      stepDown("lost quorum: no acknowledgement from a majority within the leader lease");
      return;
    }
    if (pending != null) {
      if (hasMajority(pendingAcks, pendingOldVoters)
          && hasMajority(pendingAcks, pending.voters())) {
        ConfigChange done = pending;
        pending = null;
        pendingAcks.clear();
        lastAck.keySet().retainAll(done.voters());
        // Each acknowledgement of the change answered what we sent at pendingSince.
        for (MemberId m : pendingAcks) {
          Long before = lastAck.get(m);
          if (done.voters().contains(m) && (before == null || pendingSince - before > 0)) {
            lastAck.put(m, pendingSince);
          }
        }
        adoptConfig(done.config(), done.voters());
        fx.censusChanged();
        // The lease is counted against the new membership from now on.
        leaseExpiresAt = now;
        refreshLease(now);
        if (now - leaseExpiresAt >= 0) {
          stepDown("no quorum in the new voting membership");
          return;
        }
      } else {
        return;
      }
    }
    proposeMembershipChange(now);
    if (settings.preempt() && pending == null) {
      for (MemberId v : voters) {
        Peer p = peers.get(v);
        if (p != null
            && p.state == MemberState.ALIVE
            && p.heard
            && p.eligible
            && rankAbove(p.id, p.suitability, self, suitability)) {
          handOff(now, false, "preempted by the higher-ranked " + p.id);
          return;
        }
      }
    }
  }

  private void proposeMembershipChange(long now) {
    List<MemberId> next = null;
    for (MemberId v : voters) {
      if (v.equals(self)) {
        continue;
      }
      Peer p = peers.get(v);
      boolean gone = p == null && left.contains(v);
      boolean dead =
          p != null
              && p.state == MemberState.CONFIRMED
              && (now - p.confirmedSince > settings.departAfterNanos() || departing.contains(v));
      if (gone || dead) {
        next = new ArrayList<>(voters);
        next.remove(v);
        break;
      }
    }
    if (next == null) {
      for (Peer p : peers.values()) {
        if (p.state == MemberState.ALIVE && p.heard && !voters.contains(p.id)) {
          next = new ArrayList<>(voters);
          next.add(p.id);
          Collections.sort(next);
          break;
        }
      }
    }
    if (next == null) {
      return;
    }
    ConfigId id =
        new ConfigId(acceptedTerm, config.term() == acceptedTerm ? config.version() + 1 : 1);
    pending = new ConfigChange(acceptedTerm, id, next);
    pendingSince = now;
    pendingOldVoters = voters;
    pendingAcks.clear();
    pendingAcks.add(self);
    for (MemberId v : voters) {
      if (left.contains(v)) {
        pendingAcks.add(v);
      }
    }
    fx.sendToAll(pending);
  }

  private void followerDuties(long now) {
    if (handingOff) {
      if (now - handOffSince < settings.handOffTimeoutNanos()) {
        return;
      }
      // The runtime never said the revoked hooks ran: successors go ahead anyway.
      endHandOff(now);
    }
    if (leader != null) {
      Peer l = peers.get(leader);
      if (l != null && l.state != MemberState.CONFIRMED) {
        // Following a live leader ends any wait, probe or back-off of earlier failed elections.
        waitingSince = Long.MIN_VALUE;
        probed = false;
        backingOff = false;
        failedClaims = 0;
        return;
      }
      leader = null;
      fx.censusChanged();
    }
    if (backingOff && now - nextClaimNotBefore < 0) {
      return;
    }
    List<MemberId> electorate = electorate();
    if (electorate.isEmpty()) {
      return;
    }
    if (config.equals(ConfigId.NONE) && !bootstrapReady()) {
      return;
    }
    MemberId top = topRanked(now, electorate);
    if (top == null) {
      return;
    }
    if (top.equals(self)) {
      claim(now);
      return;
    }
    if (log.isTraceEnabled()) {
      log.trace("{} {}: waiting for {} to claim", settings.group(), self, top);
    }
    // Someone ranked higher should claim; give it one election timeout, then probe, then claim.
    if (waitingSince == Long.MIN_VALUE) {
      waitingSince = now;
      probed = false;
      return;
    }
    if (now - waitingSince <= electionTimeoutNanos) {
      return;
    }
    if (!probed) {
      probed = true;
      waitingSince = now;
      long t = Math.max(maxTermSeen, record.highestTerm().value()) + 1;
      for (MemberId m : electorate) {
        Peer p = peers.get(m);
        if (p != null && rankAbove(p.id, p.suitability, self, suitability)) {
          fx.send(p.address, new Election(t));
        }
      }
      return;
    }
    if (canLead(now)) {
      claim(now);
    }
  }

  /** The members that vote: the committed membership, or at bootstrap everyone alive. */
  private List<MemberId> electorate() {
    if (!config.equals(ConfigId.NONE)) {
      return voters;
    }
    List<MemberId> all = new ArrayList<>();
    all.add(self);
    for (Peer p : peers.values()) {
      if (p.state == MemberState.ALIVE && p.heard) {
        all.add(p.id);
      }
    }
    Collections.sort(all);
    return all;
  }

  private boolean bootstrapReady() {
    int alive = 1;
    for (Peer p : peers.values()) {
      if (p.state == MemberState.ALIVE && p.heard) {
        if (!p.config.equals(ConfigId.NONE) || (p.acceptedTerm > 0 && p.leading)) {
          return false;
        }
        alive++;
      }
    }
    return alive >= settings.bootstrapSize();
  }

  /** The highest-ranked member of the electorate that is alive and eligible, or null. */
  private @Nullable MemberId topRanked(long now, List<MemberId> electorate) {
    MemberId best = null;
    long bestSuit = -1;
    for (MemberId m : electorate) {
      long s;
      if (m.equals(self)) {
        if (!canLead(now)) {
          continue;
        }
        s = suitability;
      } else {
        Peer p = peers.get(m);
        if (p == null || p.state != MemberState.ALIVE || !p.eligible || !p.heard) {
          continue;
        }
        s = p.suitability;
      }
      if (best == null || rankAbove(m, s, best, bestSuit)) {
        best = m;
        bestSuit = s;
      }
    }
    return best;
  }

  private static boolean rankAbove(MemberId a, long sa, MemberId b, long sb) {
    return sa != sb ? sa > sb : a.compareTo(b) > 0;
  }

  private boolean canLead(long now) {
    // A member that just started has not heard everyone's heartbeat yet: it would rank itself
    // on half the facts. Two heartbeat intervals are enough to hear every live member.
    boolean settled = now - startedAt >= 2 * settings.timing().heartbeatInterval().toNanos();
    return settled
        && eligible
        && (!yielding || now - yieldedUntil >= 0)
        && (config.equals(ConfigId.NONE) || voters.contains(self));
  }

  private boolean hasLiveLeader(long now) {
    if (leader == null) {
      return false;
    }
    Peer l = peers.get(leader);
    return l != null && l.state == MemberState.ALIVE && now - l.lastHeard <= suspectNanos;
  }

  private void claim(long now) {
    long t = Math.max(maxTermSeen, record.highestTerm().value()) + 1;
    bootstrapClaim = config.equals(ConfigId.NONE);
    if (bootstrapClaim) {
      // A bootstrap membership is provisional: nobody keeps it unless the claim wins, so a
      // failed bootstrap (on a side that saw stale liveness) leaves no conflicting membership.
      claimConfig = new ConfigId(t, 0);
      claimVoters = electorate();
    } else {
      claimConfig = config;
      claimVoters = voters;
    }
    persistTerm(t);
    transition(Role.CANDIDATE);
    claimTerm = t;
    claimStarted = now;
    votes.clear();
    refusals.clear();
    votes.add(self);
    waitingSince = Long.MIN_VALUE;
    leader = null;
    voteEcho.clear();
    fx.sendToAll(new Coordinator(t, claimConfig, claimVoters, now));
    fx.censusChanged();
    if (claimWon()) {
      win(now);
    }
  }

  /**
   * Whether the votes are a strict majority of the claim's membership; a bootstrap claim also needs
   * {@code bootstrapSize} votes, so two sides that bootstrap apart (on stale liveness) cannot both
   * win when bootstrapSize is more than half of the deployed members.
   */
  private boolean claimWon() {
    if (settings.mutations().contains(Mutation.NO_QUORUM_CHECK)) {
      return true;
    }
    return hasMajority(votes, claimVoters)
        && (!bootstrapClaim || votes.size() >= settings.bootstrapSize());
  }

  private void win(long now) {
    transition(Role.LEADER);
    if (bootstrapClaim) {
      adoptConfig(claimConfig, claimVoters);
    }
    acceptedTerm = claimTerm;
    leader = self;
    failedClaims = 0;
    lastAck.clear();
    for (MemberId v : votes) {
      Long echo = voteEcho.get(v);
      lastAck.put(v, v.equals(self) || echo == null ? claimStarted : echo);
    }
    leaseExpiresAt = now;
    refreshLease(now);
    leading = true;
    pending = null;
    fx.elected(Term.of(acceptedTerm));
    sendHeartbeat();
    if (bootstrapClaim) {
      // The first voting membership becomes real only now: tell everyone at once, so that the
      // group can fail over even if this leader dies right away.
      fx.sendToAll(new ConfigChange(acceptedTerm, config, voters));
    }
    fx.censusChanged();
  }

  private void loseClaim(String reason) {
    log.debug("{}: claim of term {} failed: {}", settings.group(), claimTerm, reason);
    fx.claimLost(Term.of(claimTerm), reason);
    transition(Role.FOLLOWER);
    failedClaims++;
    long backoff = electionTimeoutNanos * Math.min(1L << Math.min(failedClaims, 3), 8);
    // A jitter that differs between members (and is the same on every run) breaks the symmetry
    // of members that keep claiming at the same moment.
    backoff +=
        Math.floorMod(self.hashCode() * 31L + failedClaims, electionTimeoutNanos / 1_000_000 + 1)
            * 1_000_000L;
    backingOff = true;
    nextClaimNotBefore = claimStarted + backoff;
    votes.clear();
    refusals.clear();
    fx.censusChanged();
  }

  private boolean cannotWin() {
    int needed = claimVoters.size() / 2 + 1;
    return claimVoters.size() - refusals.size() < needed;
  }

  private void stepDown(String reason) {
    transition(Role.FOLLOWER);
    leading = false;
    leaseExpiresAt = Long.MIN_VALUE;
    leader = null;
    pending = null;
    pendingAcks.clear();
    fx.revoked(Term.of(acceptedTerm), reason);
    fx.censusChanged();
  }

  /** Accepts {@code term} with {@code who} as its leader. */
  private void follow(MemberId who, long term, String why) {
    if (role == Role.LEADER) {
      stepDown(why);
    } else if (role == Role.CANDIDATE) {
      transition(Role.FOLLOWER);
      votes.clear();
      refusals.clear();
    }
    persistTerm(term);
    acceptedTerm = term;
    leader = who;
    // Following someone else ends a hand-off: nobody should keep waiting for us.
    handingOff = false;
    waitingSince = Long.MIN_VALUE;
    failedClaims = 0;
    backingOff = false;
  }

  private void refreshLease(long now) {
    if (voters.isEmpty()) {
      return;
    }
    long[] times = new long[voters.size()];
    int n = 0;
    for (MemberId v : voters) {
      Long t = v.equals(self) ? Long.valueOf(now) : lastAck.get(v);
      if (t != null) {
        times[n++] = t;
      }
    }
    int needed = voters.size() / 2 + 1;
    if (n < needed) {
      return;
    }
    java.util.Arrays.sort(times, 0, n);
    // The needed-th most recent acknowledgement bounds the lease.
    long kth = times[n - needed];
    leaseExpiresAt = kth + leaseNanos;
  }

  private void adoptConfig(ConfigId id, List<MemberId> newVoters) {
    config = id;
    voters = List.copyOf(newVoters);
    record = record.withMembership(new MemberRecord.Membership(id.term(), id.version(), voters));
    persist(record);
  }

  private void persist(MemberRecord r) {
    if (settings.mutations().contains(Mutation.TERM_NOT_PERSISTED)) {
      fx.persist(
          new MemberRecord(
              r.memberId(),
              persistedTerm,
              r.initialised(),
              r.initialisedTerm(),
              r.membership(),
              r.groupConfig()));
    } else {
      fx.persist(r);
    }
  }

  private void confirm(Peer p, long now) {
    p.state = MemberState.CONFIRMED;
    p.confirmedSince = now;
    if (p.id.equals(leader) && role != Role.LEADER) {
      leader = null;
    }
  }

  private void seeTerm(long t) {
    if (t > maxTermSeen) {
      maxTermSeen = t;
    }
  }

  private void persistTerm(long t) {
    if (t <= record.highestTerm().value()) {
      return;
    }
    record = record.withTerm(Term.of(t));
    persist(record);
  }

  private static boolean hasMajority(Set<MemberId> acks, List<MemberId> electorate) {
    if (electorate.isEmpty()) {
      return false;
    }
    int count = 0;
    for (MemberId m : electorate) {
      if (acks.contains(m)) {
        count++;
      }
    }
    return count > electorate.size() / 2;
  }

  private void transition(Role to) {
    Role.Transition.of(role, to);
    role = to;
  }

  private void sendHeartbeat() {
    if (role == Role.STOPPED) {
      return;
    }
    // A candidate names itself, so that the members that accepted its claim keep waiting for it.
    // A leader handing off names itself until its revoked hooks ran, so nobody claims before.
    MemberId named = role == Role.CANDIDATE || handingOff ? self : leader;
    fx.sendToAll(
        new Heartbeat(
            suitability,
            eligible(),
            acceptedTerm,
            record.highestTerm().value(),
            named,
            role == Role.LEADER,
            config,
            clock,
            health,
            settings.topology(),
            exportsVersion,
            initialisedTerm,
            role == Role.LEADER ? initError : "",
            DocId.of(groupConfig)));
  }
}
