package io.habitat.core.internal;

import io.habitat.core.Bind;
import io.habitat.core.BoundGroup;
import io.habitat.core.Census;
import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Role;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.internal.Wire.Envelope;
import io.habitat.core.internal.Wire.Exports;
import io.habitat.core.internal.Wire.ExportsRequest;
import io.habitat.core.internal.Wire.Heartbeat;
import io.habitat.core.internal.Wire.Leave;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * What one service sees of a group it binds to, without joining it: it reads the group's
 * heartbeats, asks members for their exports, and forgets members that go silent or leave. Runs on
 * the supervisor's loop; not thread-safe except {@link #snapshot()}.
 */
final class BindTracker {

  private static final class Entry {
    RingAddress address;
    long incarnation;
    long lastHeard;
    long suitability;
    boolean eligible;
    Health health = Health.UNKNOWN;
    boolean leading;
    long term;
    Topology topology = Topology.STANDALONE;
    long exportsAnnounced;
    long exportsHeld = 0;
    Map<String, String> exports = Map.of();
    boolean requested;
    long requestedAt;

    Entry(RingAddress address) {
      this.address = address;
    }
  }

  private final Bind bind;
  private final long silenceNanos;
  private final long retryNanos;
  private final BiConsumer<RingAddress, Wire.Body> sender;
  private final TreeMap<MemberId, Entry> members = new TreeMap<>();
  private @Nullable Census local;
  private volatile BoundGroup snapshot;

  BindTracker(
      Bind bind, long silenceNanos, long retryNanos, BiConsumer<RingAddress, Wire.Body> sender) {
    this.bind = bind;
    this.silenceNanos = silenceNanos;
    this.retryNanos = retryNanos;
    this.sender = sender;
    this.snapshot = new BoundGroup(bind, Topology.STANDALONE, null, Term.ZERO, List.of());
  }

  Bind bind() {
    return bind;
  }

  /** The latest snapshot; safe from any thread. */
  BoundGroup snapshot() {
    return snapshot;
  }

  /** A message of the bound group. Returns whether the snapshot changed. */
  boolean onMessage(long now, RingAddress from, Envelope env) {
    Wire.Body body = env.body();
    if (body instanceof Leave) {
      return members.remove(env.sender()) != null && refresh();
    }
    if (!(body instanceof Heartbeat) && !(body instanceof Exports)) {
      return false;
    }
    Entry e = members.get(env.sender());
    if (e == null) {
      if (!(body instanceof Heartbeat)) {
        // A member counts once a heartbeat is heard: only that tells the group's topology, and a
        // member of an electing group must not pass for a live member of a standalone one.
        return false;
      }
      e = new Entry(from);
      e.incarnation = env.incarnation();
      members.put(env.sender(), e);
    } else if (e.incarnation != env.incarnation()) {
      e.incarnation = env.incarnation();
      e.exportsHeld = 0;
      e.exportsAnnounced = 0;
      e.exports = Map.of();
      e.requested = false;
    }
    e.address = from;
    e.lastHeard = now;
    if (body instanceof Heartbeat h) {
      e.suitability = h.suitability();
      e.eligible = h.eligible();
      e.health = h.health();
      e.leading = h.leading();
      e.term = h.acceptedTerm();
      e.topology = h.topology();
      e.exportsAnnounced = h.exportsVersion();
      if (e.exportsAnnounced > e.exportsHeld
          && (!e.requested || now - e.requestedAt >= retryNanos)) {
        e.requested = true;
        e.requestedAt = now;
        sender.accept(from, new ExportsRequest());
      }
    } else if (body instanceof Exports x && x.version() > e.exportsHeld) {
      e.exportsHeld = x.version();
      e.exports = x.entries();
    }
    return refresh();
  }

  /** Forgets members silent for too long. Returns whether the snapshot changed. */
  boolean onTick(long now) {
    boolean removed = members.values().removeIf(e -> now - e.lastHeard > silenceNanos);
    return removed && refresh();
  }

  /** Forgets members the ring no longer has. Returns whether the snapshot changed. */
  boolean onView(RingView view) {
    boolean removed = members.values().removeIf(e -> !view.contains(e.address));
    return removed && refresh();
  }

  /** This supervisor's own member of the bound group published a census. */
  boolean onLocal(Census census) {
    local = census;
    return refresh();
  }

  private boolean refresh() {
    List<Census.Member> list = new ArrayList<>();
    MemberId leader = null;
    long term = 0;
    Topology topology = Topology.STANDALONE;
    boolean heard = false;
    for (Map.Entry<MemberId, Entry> m : members.entrySet()) {
      Entry e = m.getValue();
      topology = e.topology;
      heard = true;
      if (e.leading && e.term > term) {
        leader = m.getKey();
        term = e.term;
      }
    }
    Census own = local;
    if (own != null) {
      topology = own.topology();
      if (own.role() == Role.LEADER && own.term().value() > term) {
        leader = own.self();
        term = own.term().value();
      }
      list.add(own.selfMember());
    }
    for (Map.Entry<MemberId, Entry> m : members.entrySet()) {
      Entry e = m.getValue();
      if (own != null && own.self().equals(m.getKey())) {
        continue;
      }
      list.add(
          new Census.Member(
              m.getKey(),
              e.address.id(),
              MemberState.ALIVE,
              e.suitability,
              e.eligible,
              m.getKey().equals(leader),
              false,
              e.health,
              e.exports));
    }
    list.sort((a, b) -> a.id().compareTo(b.id()));
    if (!heard && own == null) {
      topology = Topology.STANDALONE;
    }
    BoundGroup next =
        new BoundGroup(bind, topology, leader, leader == null ? Term.ZERO : Term.of(term), list);
    if (next.equals(snapshot)) {
      return false;
    }
    snapshot = next;
    return true;
  }
}
