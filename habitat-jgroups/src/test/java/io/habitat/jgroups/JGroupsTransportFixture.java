package io.habitat.jgroups;

import io.habitat.core.spi.Transport;
import io.habitat.test.compliance.TransportFixture;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.ViewId;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.Util;
import org.jspecify.annotations.Nullable;

/**
 * Real JGroups channels in one JVM on the loopback preset, on a port block of their own (probed
 * free, so builds running side by side do not meet) and a ring name of their own.
 *
 * <ul>
 *   <li>crash: {@link Util#shutdown(JChannel)}: drop all traffic, then close without a goodbye; the
 *       others learn it from FD_SOCK2.
 *   <li>partition: a {@link DISCARD} above the transport of every channel drops what comes from the
 *       other sides, and each side gets its own view injected through {@link GMS#installView}.
 *   <li>heal: the DISCARDs let everything through again and each side's coordinator gets a MERGE
 *       event with the sides' views, which is what MERGE3 would send up after its next round.
 * </ul>
 *
 * <p>A keyed fixture gives every member the same random ring key (the DISCARDs then sit below the
 * ring encryption) and, on close, checks that no member dropped a message of another.
 */
final class JGroupsTransportFixture implements TransportFixture {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final int BLOCK = 8;

  private final String ringName = "compliance-" + Long.toHexString(System.nanoTime());
  private final int basePort = PortBlock.find(BLOCK);
  private final List<JGroupsTransport> transports = new ArrayList<>();
  private final List<List<JChannel>> sides = new ArrayList<>();
  private final byte @Nullable [] ringKey;

  /** A fixture whose rings have no key. */
  JGroupsTransportFixture() {
    this(false);
  }

  /** A fixture whose rings are keyed, or not. */
  JGroupsTransportFixture(boolean keyed) {
    if (keyed) {
      ringKey = new byte[32];
      new SecureRandom().nextBytes(ringKey);
    } else {
      ringKey = null;
    }
  }

  @Override
  public Transport newTransport(String name) {
    JGroupsTransport.Builder builder =
        JGroupsTransport.builder()
            .ringName(ringName)
            .preset(Preset.LOOPBACK)
            .bindPort(basePort)
            .portRange(BLOCK)
            .memberName(name)
            .environment(Map.of());
    if (ringKey != null) {
      builder.ringKey(ringKey);
    }
    JGroupsTransport t = builder.build();
    transports.add(t);
    return t;
  }

  @Override
  public void await(String description, BooleanSupplier condition) {
    Awaitility.await(description)
        .atMost(BOUND)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .until(condition::getAsBoolean);
  }

  @Override
  public void settle(Duration duration) {
    Awaitility.await("settle for " + duration)
        .pollDelay(duration)
        .atMost(duration.plus(BOUND))
        .until(() -> true);
  }

  @Override
  public void crash(Transport transport) {
    try {
      Util.shutdown(channelOf(transport));
    } catch (Exception e) {
      throw new AssertionError("could not crash " + transport.localAddress(), e);
    }
  }

  @Override
  public void partition(List<List<Transport>> sideTransports) {
    sides.clear();
    for (List<Transport> side : sideTransports) {
      sides.add(side.stream().map(JGroupsTransportFixture::channelOf).toList());
    }
    long nextId = 0;
    for (List<JChannel> side : sides) {
      for (JChannel ch : side) {
        nextId = Math.max(nextId, ch.getView().getViewId().getId() + 1);
      }
    }
    for (List<JChannel> side : sides) {
      Set<Address> others = new HashSet<>();
      sides.stream()
          .filter(s -> s != side)
          .flatMap(List::stream)
          .forEach(ch -> others.add(ch.getAddress()));
      for (JChannel ch : side) {
        discardOf(ch).resetIgnoredMembers().addIgnoredMembers(others.toArray(Address[]::new));
      }
    }
    for (List<JChannel> side : sides) {
      List<Address> members = new ArrayList<>();
      // keep the order of the view the side's first member had, so its coordinator stays first
      for (Address a : side.get(0).getView().getMembers()) {
        if (side.stream().anyMatch(ch -> a.equals(ch.getAddress()))) {
          members.add(a);
        }
      }
      View view = new View(new ViewId(members.get(0), nextId), members);
      for (JChannel ch : side) {
        gms(ch).installView(view);
      }
    }
  }

  @Override
  public io.habitat.core.Supervisor.Builder supervisor(Transport transport) {
    return io.habitat.core.Supervisor.builder()
        .transport(transport)
        .store(
            new io.habitat.test.store.InMemoryDataDirectory(
                    "jgroups-" + Integer.toHexString(System.identityHashCode(transport)))
                .open());
  }

  @Override
  public void silence(Transport transport) {
    Address silent = channelOf(transport).getAddress();
    for (JGroupsTransport other : transports) {
      JChannel ch = channelOf(other);
      if (ch != channelOf(transport) && ch.isConnected()) {
        discardOf(ch).addIgnoredMembers(silent);
      }
    }
  }

  @Override
  public void heal() {
    List<JChannel> all = sides.stream().flatMap(List::stream).toList();
    for (JChannel ch : all) {
      discardOf(ch).resetIgnoredMembers();
    }
    Set<Address> everyone = new HashSet<>();
    all.forEach(ch -> everyone.add(ch.getAddress()));
    // A merge can be turned down (e.g. a member still busy with a view); ask again until it holds.
    for (int attempt = 1; ; attempt++) {
      Map<Address, View> views = new HashMap<>();
      for (JChannel ch : all) {
        View v = ch.getView();
        views.put(v.getCoord(), v);
      }
      for (Address coord : views.keySet()) {
        JChannel ch =
            all.stream().filter(c -> coord.equals(c.getAddress())).findFirst().orElseThrow();
        gms(ch).up(new Event(Event.MERGE, new HashMap<>(views)));
      }
      try {
        Awaitility.await("merge of " + views.values())
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    all.stream()
                        .allMatch(ch -> everyone.equals(Set.copyOf(ch.getView().getMembers()))));
        return;
      } catch (ConditionTimeoutException e) {
        if (attempt == 4) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    transports.forEach(JGroupsTransport::close);
    for (JGroupsTransport t : transports) {
      if (t.rejectedMessages() != 0) {
        throw new AssertionError(
            t.rejectedMessages() + " messages of the ring's own members were dropped as rejected");
      }
    }
  }

  private static JChannel channelOf(Transport transport) {
    return Objects.requireNonNull(
        ((JGroupsTransport) transport).channel(), "the transport was not started");
  }

  private static GMS gms(JChannel ch) {
    return Objects.requireNonNull(ch.getProtocolStack().findProtocol(GMS.class), "GMS");
  }

  private static DISCARD discardOf(JChannel ch) {
    DISCARD discard = ch.getProtocolStack().findProtocol(DISCARD.class);
    if (discard == null) {
      discard = new DISCARD().setAddress(ch.getAddress());
      try {
        ch.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TP.class);
      } catch (Exception e) {
        throw new AssertionError("could not insert DISCARD", e);
      }
    }
    return discard;
  }
}
