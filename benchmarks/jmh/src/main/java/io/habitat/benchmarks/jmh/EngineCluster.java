package io.habitat.benchmarks.jmh;

import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Timing;
import io.habitat.core.Topology;
import io.habitat.core.internal.GroupEngine;
import io.habitat.core.internal.Wire;
import io.habitat.core.internal.WireCodec;
import io.habitat.core.spi.MemberRecord;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.ViewId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A group of election engines wired to each other in one thread, the way the supervisor drives
 * them, without threads, clocks or a network: every message is encoded with {@link WireCodec} once
 * per send and decoded once per recipient, and a round is one heartbeat interval (every engine's
 * tick, then every message until none is left). Time is a counter. Not thread-safe.
 */
final class EngineCluster {

  private static final long INTERVAL = Timing.defaults().heartbeatInterval().toNanos();
  private static final ServiceGroup GROUP = ServiceGroup.parse("postgres.financialdb");

  /** A message on its way; the bytes are shared by the copies of one send to all. */
  private static final class Pending {
    final RingAddress from;
    final RingAddress to;
    final byte[] bytes;

    Pending(RingAddress from, RingAddress to, byte[] bytes) {
      this.from = from;
      this.to = to;
      this.bytes = bytes;
    }
  }

  private final List<RingAddress> addresses = new ArrayList<>();
  private final Map<RingAddress, GroupEngine> engines = new HashMap<>();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private long now = 1_000_000_000L;
  private long delivered;

  EngineCluster(int members) {
    GroupEngine.Settings settings =
        new GroupEngine.Settings(
            GROUP,
            Topology.LEADER,
            members,
            Timing.defaults(),
            Duration.ofMinutes(10).toNanos(),
            Set.of(),
            3,
            Duration.ofSeconds(3).toNanos(),
            false,
            Health.OK);
    for (int i = 1; i <= members; i++) {
      addresses.add(new RingAddress(String.format(Locale.ROOT, "address-%03d", i)));
    }
    for (int i = 0; i < members; i++) {
      RingAddress self = addresses.get(i);
      MemberId id = MemberId.of(String.format(Locale.ROOT, "member-%03d", i + 1));
      engines.put(
          self, new GroupEngine(settings, id, 1, 0, MemberRecord.fresh(id), effects(self, id)));
    }
    RingView view = RingView.of(new ViewId(addresses.get(0), 1), addresses);
    for (RingAddress a : addresses) {
      engine(a).start(now, a, view);
    }
    deliver();
  }

  /**
   * Runs rounds until exactly one engine leads and every engine names it, for at most 30 s of the
   * counter's time.
   *
   * @throws IllegalStateException if the group does not settle
   */
  void settle() {
    for (int round = 0; round < 300; round++) {
      round();
      if (settled()) {
        // and a few more rounds, so that the voting membership and acknowledgements are steady
        for (int more = 0; more < 20; more++) {
          round();
        }
        return;
      }
    }
    throw new IllegalStateException("the " + addresses.size() + " engines elected no leader");
  }

  private boolean settled() {
    MemberId leader = null;
    for (GroupEngine e : engines.values()) {
      MemberId l = e.leader();
      if (l == null || (leader != null && !leader.equals(l))) {
        return false;
      }
      leader = l;
    }
    return true;
  }

  /** One heartbeat interval: every engine ticks, then every message is delivered. */
  long round() {
    now += INTERVAL;
    for (RingAddress a : addresses) {
      engine(a).onTick(now);
    }
    return deliver();
  }

  /** Messages delivered so far. */
  long delivered() {
    return delivered;
  }

  private long deliver() {
    long count = 0;
    Pending p;
    while ((p = queue.poll()) != null) {
      Wire.Envelope envelope;
      try {
        envelope = WireCodec.decode(p.bytes);
      } catch (WireCodec.MalformedMessageException e) {
        throw new IllegalStateException("the codec refused its own message: " + e.getMessage(), e);
      }
      engine(p.to).onMessage(now, p.from, envelope);
      count++;
    }
    delivered += count;
    return count;
  }

  private GroupEngine engine(RingAddress address) {
    GroupEngine e = engines.get(address);
    if (e == null) {
      throw new IllegalArgumentException("no engine at " + address);
    }
    return e;
  }

  /**
   * One engine's effects: messages go to the queue, a fatal stop throws, everything else is
   * dropped. A proxy, so that effects the engine gains later need no change here; the proxy's
   * dispatch is part of every measured send.
   */
  private GroupEngine.Effects effects(RingAddress self, MemberId id) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "send" -> queue.add(new Pending(self, (RingAddress) args[0], encode(id, args[1])));
            case "sendToAll" -> {
              byte[] bytes = encode(id, args[0]);
              for (RingAddress a : addresses) {
                if (!a.equals(self)) {
                  queue.add(new Pending(self, a, bytes));
                }
              }
            }
            case "fatal" ->
                throw new IllegalStateException("engine " + id + " stopped: " + args[0]);
            case "hashCode" -> {
              return System.identityHashCode(proxy);
            }
            case "equals" -> {
              return proxy == args[0];
            }
            case "toString" -> {
              return "effects of " + id;
            }
            default -> {
              // persist, elected, revoked, censusChanged, claimLost, ...: nothing to do here
            }
          }
          return null;
        };
    return (GroupEngine.Effects)
        Proxy.newProxyInstance(
            GroupEngine.Effects.class.getClassLoader(),
            new Class<?>[] {GroupEngine.Effects.class},
            handler);
  }

  private static byte[] encode(MemberId id, Object body) {
    return WireCodec.encode(new Wire.Envelope(GROUP, id, 1, (Wire.Body) body));
  }
}
