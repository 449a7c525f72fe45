package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.Census;
import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.spi.RingAddress;
import io.habitat.jgroups.internal.ChannelTransport;
import io.habitat.jgroups.internal.RingEncryption;
import io.habitat.jgroups.internal.RingEncryption.Rejection;
import io.habitat.test.compliance.RecordingReceiver;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.EmptyMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.ViewId;
import org.jgroups.protocols.Discovery;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FD_SOCK2.FdHeader;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MERGE3.MergeHeader;
import org.jgroups.protocols.PingData;
import org.jgroups.protocols.PingHeader;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.TpHeader;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.GMS.GmsHeader;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyed rings on real JGroups channels in one JVM, on 127.0.0.1: members with the key elect a
 * leader that members without it, or with another, cannot join or change; what an attacker captures
 * cannot be replayed; what it forges with JGroups' own classes and writes to a member's port
 * changes nothing, though the same forgeries take over a ring without a key.
 */
class KeyedRingTest {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final int BLOCK = 4;
  private static final ServiceGroup DB = ServiceGroup.parse("db.keyed");

  private final String ringName = "keyed-" + Long.toHexString(System.nanoTime());
  private final int basePort = PortBlock.find(BLOCK);
  private final byte[] key = randomKey();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void intrudersWithoutTheKeyOrWithAnotherKeyChangeNeitherCensusNorLeadership(@TempDir Path dir)
      throws Exception {
    Path keyFile = dir.resolve("ring.key");
    Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n");
    JGroupsTransport ta = transport(builder("a").ringKeyFile(keyFile));
    JGroupsTransport tb =
        transport(
            builder("b")
                .environment(
                    Map.of(
                        JGroupsTransport.Builder.RING_KEY_VARIABLE,
                        Base64.getEncoder().encodeToString(key))));
    Service a = start(ta, "a", 1, dir);
    Service b = start(tb, "b", 2, dir);
    Awaitility.await("b leads a and b")
        .atMost(BOUND)
        .until(() -> b.isLeader() && ledBy(a, "b") && ledBy(b, "b") && members(a).size() == 2);
    Term term = b.census().term();

    JGroupsTransport tx = transport(builder("x"));
    JGroupsTransport ty =
        transport(builder("y").ringKeyPassphrase("the passphrase of another ring"));
    Service x = start(tx, "x", 9, dir);
    Service y = start(ty, "y", 10, dir);
    Awaitility.await("the keyed members dropped what x and y sent them")
        .atMost(BOUND)
        .until(
            () ->
                rejected(ta, Rejection.NOT_ENCRYPTED) + rejected(tb, Rejection.NOT_ENCRYPTED) > 0
                    && rejected(ta, Rejection.NOT_AUTHENTIC) + rejected(tb, Rejection.NOT_AUTHENTIC)
                        > 0);

    for (Service keyed : List.of(a, b)) {
      assertThat(members(keyed)).containsExactlyInAnyOrder("a", "b");
      assertThat(keyed.census().leaderId()).contains(MemberId.of("b"));
      assertThat(keyed.census().term()).isEqualTo(term);
    }
    assertThat(members(x)).containsExactly("x");
    assertThat(members(y)).containsExactly("y");
    assertThat(channel(tx).getView().getMembers()).containsExactly(channel(tx).getAddress());
    assertThat(channel(ty).getView().getMembers()).containsExactly(channel(ty).getAddress());
    assertThat(ta.rejectedMessages() + tb.rejectedMessages()).isPositive();
    assertThat(tx.keyed()).isFalse();
    assertThat(tx.rejectedMessages()).isZero();
  }

  @Test
  void aCapturedCiphertextReplayedOverTcpIsRejectedAndCounted() throws Exception {
    RecordingReceiver ra = new RecordingReceiver();
    RecordingReceiver rb = new RecordingReceiver();
    JGroupsTransport ta = transport(builder("a").ringKey(key));
    ta.start(ra);
    JGroupsTransport tb = transport(builder("b").ringKey(key));
    tb.start(rb);
    List<RingAddress> both = List.of(ta.localAddress(), tb.localAddress());
    Awaitility.await("a and b see both")
        .atMost(BOUND)
        .until(() -> ra.lastViewIs(both) && rb.lastViewIs(both));
    Tap tap = new Tap(channel(ta).getAddress());
    channel(tb).getProtocolStack().insertProtocol(tap, ProtocolStack.Position.ABOVE, TP.class);

    ta.send(tb.localAddress(), "once".getBytes(StandardCharsets.UTF_8));
    ta.sendToAll("to all".getBytes(StandardCharsets.UTF_8));
    Awaitility.await("b receives both")
        .atMost(BOUND)
        .until(() -> rb.textsFrom(ta.localAddress()).size() == 2);
    List<Message> captured = tap.stopCapturing();
    assertThat(captured).isNotEmpty();

    long before = rejected(tb, Rejection.REPLAYED);
    try (RawPeer attacker = RawPeer.connect(port(tb))) {
      for (Message message : captured) {
        attacker.send(message);
      }
    }
    Awaitility.await("b dropped every replayed message")
        .atMost(BOUND)
        .until(() -> rejected(tb, Rejection.REPLAYED) == before + captured.size());
    assertThat(rb.textsFrom(ta.localAddress())).containsExactlyInAnyOrder("once", "to all");
    assertThat(tb.rejectedMessages()).isEqualTo(captured.size());
  }

  @Test
  void forgedDiscoveryMergeSuspectAndLeaveMessagesChangeNothingOnAKeyedRing() throws Exception {
    Ring ring = ring(true);
    long before = rejected(ring.ta, Rejection.NOT_ENCRYPTED);

    Forgeries forgeries = forge(ring);

    Awaitility.await("a dropped the four forgeries")
        .atMost(BOUND)
        .until(() -> rejected(ring.ta, Rejection.NOT_ENCRYPTED) >= before + 4);
    assertThat(rejected(ring.ta, Rejection.NOT_ENCRYPTED)).isEqualTo(before + 4);
    assertThat(forgeries.discoveredFakeMember()).isFalse();
    assertThat(forgeries.heardFakeCoordinator()).isFalse();
    assertThat(forgeries.suspected()).isFalse();
    assertThat(forgeries.victimLeft()).isFalse();
    assertThat(ring.ra.lastViewIs(ring.both)).isTrue();
  }

  @Test
  void theSameForgeriesTakeOverARingWithoutAKey() throws Exception {
    Ring ring = ring(false);

    Forgeries forgeries = forge(ring);

    Awaitility.await("a believed every forgery")
        .atMost(BOUND)
        .until(
            () ->
                forgeries.discoveredFakeMember()
                    && forgeries.heardFakeCoordinator()
                    && forgeries.suspected()
                    && forgeries.victimLeft());
    assertThat(ring.ta.rejectedMessages()).isZero();
  }

  @Test
  void aRingWithoutAKeySaysSoInOneWarnAtStartAndAKeyedRingDoesNot() {
    try (LogCapture log = LogCapture.of(ChannelTransport.class)) {
      JGroupsTransport open = transport(builder("open"));
      open.start(new RecordingReceiver());
      assertThat(log.warnings()).hasSize(1);
      assertThat(log.warnings().get(0))
          .contains("'" + ringName + "' has no ring key")
          .contains("ringKeyFile")
          .contains(JGroupsTransport.Builder.RING_KEY_VARIABLE);
      open.close();

      transport(builder("keyed").ringKey(key)).start(new RecordingReceiver());
      assertThat(log.warnings()).hasSize(1);
    }
  }

  @Test
  void aKeyedRingRefusesDiagnosticsAndVerifiesFdSock2Suspicions(@TempDir Path dir)
      throws Exception {
    String preset;
    try (InputStream in =
        Objects.requireNonNull(
            JGroupsTransport.class.getResourceAsStream("presets/loopback.xml"))) {
      preset = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path diagnostics = dir.resolve("diagnostics.xml");
    Files.writeString(
        diagnostics, preset.replace("diag.enabled=\"false\"", "diag.enabled=\"true\""));
    Path unverified = dir.resolve("unverified.xml");
    Files.writeString(unverified, preset.replaceAll("<VERIFY_SUSPECT2[^>]*/>", ""));

    JGroupsTransport withDiagnostics = transport(stackBuilder("d").stack(diagnostics).ringKey(key));
    assertThatThrownBy(() -> withDiagnostics.start(new RecordingReceiver()))
        .isInstanceOf(HabitatException.class)
        .hasMessageContaining("diag.enabled=\"false\"");
    // FD_SOCK2 without a verifier: the keyed ring adds one, so that a forged drop of FD_SOCK2's
    // unencrypted connections cannot exclude a member before it is checked over the ring.
    JGroupsTransport withoutVerify = transport(stackBuilder("v").stack(unverified).ringKey(key));
    withoutVerify.start(new RecordingReceiver());
    org.jgroups.JChannel channel = Objects.requireNonNull(withoutVerify.channel());
    List<String> names =
        channel.getProtocolStack().getProtocols().stream().map(p -> p.getName()).toList();
    assertThat(names).contains("VERIFY_SUSPECT2");
    assertThat(names.indexOf("VERIFY_SUSPECT2")).isLessThan(names.indexOf("FD_SOCK2"));
  }

  /** Two members, a (the coordinator) and b, keyed or not. */
  private record Ring(
      JGroupsTransport ta,
      JGroupsTransport tb,
      RecordingReceiver ra,
      RecordingReceiver rb,
      List<RingAddress> both) {}

  private Ring ring(boolean keyed) {
    RecordingReceiver ra = new RecordingReceiver();
    RecordingReceiver rb = new RecordingReceiver();
    JGroupsTransport ta = transport(keyed ? builder("a").ringKey(key) : builder("a"));
    ta.start(ra);
    JGroupsTransport tb = transport(keyed ? builder("b").ringKey(key) : builder("b"));
    tb.start(rb);
    List<RingAddress> both = List.of(ta.localAddress(), tb.localAddress());
    Awaitility.await("a and b see both")
        .atMost(BOUND)
        .until(() -> ra.lastViewIs(both) && rb.lastViewIs(both));
    return new Ring(ta, tb, ra, rb, both);
  }

  /** What a's protocols believe after the forgeries. */
  private record Forgeries(JChannel target, Address victim, Address fakeMember, Address fakeCoord) {
    /** Discovery took a member that does not exist into the transport's address cache. */
    boolean discoveredFakeMember() {
      return target.getProtocolStack().getTransport().getPhysicalAddressFromCache(fakeMember)
          != null;
    }

    /** MERGE3 took an INFO from a coordinator that does not exist. */
    boolean heardFakeCoordinator() {
      return target.getProtocolStack().getTransport().getPhysicalAddressFromCache(fakeCoord)
          != null;
    }

    /** FD_SOCK2 took a suspicion of the victim. */
    boolean suspected() {
      return !protocol(target, FD_SOCK2.class).printSuspectHistory().isEmpty();
    }

    /** GMS took a leave request in the victim's name. */
    boolean victimLeft() {
      return !target.getView().containsMember(victim);
    }
  }

  /**
   * Writes to a's transport port, over a TCP connection of its own, a discovery request of a member
   * that does not exist, an INFO of a coordinator that does not exist (MERGE3), a suspicion of b
   * (FD_SOCK2) and a leave request in b's name (GMS): unencrypted, built with JGroups' classes, as
   * a process that knows the stack but not the key would.
   */
  private Forgeries forge(Ring ring) throws Exception {
    JChannel target = channel(ring.ta);
    Address self = target.getAddress();
    Address victim = channel(ring.tb).getAddress();
    Address fakeMember = UUID.randomUUID();
    Address fakeCoord = UUID.randomUUID();
    IpAddress nowhere = new IpAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 1);
    TP tp = target.getProtocolStack().getTransport();
    List<Message> forged =
        List.of(
            new BytesMessage(
                    self, Discovery.marshal(new PingData(fakeMember, true, "intruder", nowhere)))
                .setSrc(fakeMember)
                .putHeader(
                    protocol(target, TCPPING.class).getId(),
                    new PingHeader(PingHeader.GET_MBRS_REQ).clusterName(ringName)),
            new EmptyMessage(self)
                .setSrc(fakeCoord)
                .putHeader(
                    protocol(target, MERGE3.class).getId(),
                    MergeHeader.createInfo(new ViewId(fakeCoord, 4242), "intruder-coord", nowhere)),
            new EmptyMessage(self)
                .setSrc(victim)
                .putHeader(
                    protocol(target, FD_SOCK2.class).getId(),
                    new FdHeader(FdHeader.SUSPECT).mbrs(List.of(victim))),
            new EmptyMessage(self)
                .setSrc(victim)
                .putHeader(
                    protocol(target, GMS.class).getId(),
                    new GmsHeader(GmsHeader.LEAVE_REQ, victim)));
    try (RawPeer attacker = RawPeer.connect(port(ring.ta))) {
      for (Message message : forged) {
        attacker.send(message.putHeader(tp.getId(), new TpHeader(ringName)));
      }
    }
    return new Forgeries(target, victim, fakeMember, fakeCoord);
  }

  private JGroupsTransport.Builder builder(String name) {
    return stackBuilder(name).preset(Preset.LOOPBACK);
  }

  private JGroupsTransport.Builder stackBuilder(String name) {
    return JGroupsTransport.builder()
        .ringName(ringName)
        .bindPort(basePort)
        .portRange(BLOCK)
        .memberName(name)
        .environment(Map.of());
  }

  private JGroupsTransport transport(JGroupsTransport.Builder builder) {
    JGroupsTransport t = builder.build();
    resources.add(t);
    return t;
  }

  private Service start(JGroupsTransport transport, String name, long suitability, Path dir) {
    Supervisor s =
        Supervisor.builder()
            .name(name)
            .transport(transport)
            .dataDirectory(dir.resolve(name))
            .build();
    resources.add(0, s);
    Service service =
        s.register(
            ServiceConfig.builder(DB)
                .topology(Topology.LEADER)
                .memberId(MemberId.of(name))
                .suitability(suitability)
                .bootstrapSize(2)
                .build());
    s.start();
    return service;
  }

  private static boolean ledBy(Service s, String leader) {
    return s.census().leaderId().equals(Optional.of(MemberId.of(leader)));
  }

  private static Set<String> members(Service s) {
    Census census = s.census();
    return census.members().stream()
        .map(m -> m.id().value())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static long rejected(JGroupsTransport t, Rejection why) {
    return protocol(channel(t), RingEncryption.class).rejected(why);
  }

  /** The port the member's transport listens on (the first free one of the block). */
  private static int port(JGroupsTransport t) {
    return ((IpAddress) channel(t).getProtocolStack().getTransport().localPhysicalAddress())
        .getPort();
  }

  private static JChannel channel(JGroupsTransport t) {
    return Objects.requireNonNull(t.channel(), "the transport was not started");
  }

  private static <P extends Protocol> P protocol(JChannel channel, Class<P> type) {
    P protocol = channel.getProtocolStack().findProtocol(type);
    return Objects.requireNonNull(protocol, type.getSimpleName());
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
