package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.habitat.core.Timing;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.Transport;
import io.habitat.test.compliance.RecordingReceiver;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.PING;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.UDP;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every preset's XML becomes a JGroups stack with the builder's values in it (channels created,
 * never connected, except on 127.0.0.1 below), and the tcp and lan presets form a ring on
 * 127.0.0.1.
 */
class PresetStackTest {

  private static final Duration BOUND = Duration.ofSeconds(20);

  private final List<Transport> transports = new ArrayList<>();

  @AfterEach
  void closeAll() {
    transports.forEach(Transport::close);
  }

  /** A channel of the transport's stack, created (protocols initialised) but not connected. */
  private static JChannel channelOf(JGroupsTransport transport) throws Exception {
    return new JChannel(transport.stack().configurator());
  }

  @Test
  void theLoopbackPresetIsTcpWithTcppingOnTheBlock() throws Exception {
    JGroupsTransport t =
        JGroupsTransport.builder().ringName("r").bindPort(21000).portRange(5).build();
    try (JChannel ch = channelOf(t)) {
      ProtocolStack stack = ch.getProtocolStack();
      TP tp = stack.getTransport();
      assertThat(tp).isInstanceOf(TCP.class);
      assertThat(tp.getBindAddr().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(tp.getBindPort()).isEqualTo(21000);
      assertThat(tp.getPortRange()).isEqualTo(4);
      TCPPING ping = stack.findProtocol(TCPPING.class);
      assertThat(ping.getPortRange()).isEqualTo(4);
      assertThat(ping.getInitialHosts()).isNotEmpty();
      assertFailureDetection(stack);
      // The failure detector's server socket stays on loopback too, as the transport.
      FD_SOCK2 fdSock = stack.findProtocol(FD_SOCK2.class);
      assertThat(fdSock.getBindAddress()).isNotNull();
      assertThat(fdSock.getBindAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void theLanPresetIsUdpWithMulticastDiscovery() throws Exception {
    JGroupsTransport t =
        JGroupsTransport.builder()
            .ringName("r")
            .preset(Preset.LAN)
            .bindAddress("127.0.0.1")
            .multicastAddress("239.1.2.3")
            .multicastPort(46001)
            .build();
    try (JChannel ch = channelOf(t)) {
      ProtocolStack stack = ch.getProtocolStack();
      UDP udp = (UDP) stack.getTransport();
      assertThat(udp.getBindPort()).isEqualTo(JGroupsTransport.Builder.DEFAULT_BIND_PORT);
      assertThat(udp.getPortRange()).isZero();
      assertThat(udp.getMulticastAddress().getHostAddress()).isEqualTo("239.1.2.3");
      assertThat(udp.getMulticastPort()).isEqualTo(46001);
      PING ping = stack.findProtocol(PING.class);
      assertThat(ping.isDynamic()).isTrue();
      assertFailureDetection(stack);
    }
  }

  @Test
  void theLanPresetDefaultsToAnOrganisationLocalGroup() throws Exception {
    JGroupsTransport t =
        JGroupsTransport.builder()
            .ringName("r")
            .preset(Preset.LAN)
            .bindAddress("127.0.0.1")
            .build();
    try (JChannel ch = channelOf(t)) {
      UDP udp = (UDP) ch.getProtocolStack().getTransport();
      assertThat(udp.getMulticastAddress())
          .extracting(InetAddress::getHostAddress)
          .isEqualTo(JGroupsTransport.Builder.DEFAULT_MULTICAST_ADDRESS);
      assertThat(udp.getMulticastPort()).isEqualTo(JGroupsTransport.Builder.DEFAULT_MULTICAST_PORT);
    }
  }

  @Test
  void theTcpPresetProbesTheGivenHosts() throws Exception {
    JGroupsTransport t =
        JGroupsTransport.builder()
            .ringName("r")
            .preset(Preset.TCP)
            .bindAddress("127.0.0.1")
            .bindPort(22000)
            .initialHosts(List.of("127.0.0.1:22000", "127.0.0.2:22000"))
            .build();
    try (JChannel ch = channelOf(t)) {
      ProtocolStack stack = ch.getProtocolStack();
      assertThat(stack.getTransport()).isInstanceOf(TCP.class);
      assertThat(stack.getTransport().getPortRange()).isZero();
      TCPPING ping = stack.findProtocol(TCPPING.class);
      assertThat(ping.getPortRange()).isZero();
      assertThat(ping.getInitialHosts().toString()).contains("127.0.0.1:22000", "127.0.0.2:22000");
      assertFailureDetection(stack);
    }
  }

  @Test
  void theKubernetesPresetResolvesTheGivenService() throws Exception {
    JGroupsTransport t =
        JGroupsTransport.builder()
            .ringName("r")
            .preset(Preset.KUBERNETES)
            .bindAddress("127.0.0.1")
            .dnsQuery("habitat.shop.svc.cluster.local")
            .build();
    try (JChannel ch = channelOf(t)) {
      ProtocolStack stack = ch.getProtocolStack();
      assertThat(stack.getTransport()).isInstanceOf(TCP.class);
      DNS_PING ping = stack.findProtocol(DNS_PING.class);
      assertThat(ping.dnsQuery()).isEqualTo("habitat.shop.svc.cluster.local");
      assertThat(ping.dnsRecordType()).isEqualTo("A");
      assertFailureDetection(stack);
    }
  }

  @Test
  void theKubernetesPresetReadsTheQueryFromTheEnvironment() throws Exception {
    JGroupsTransport t =
        JGroupsTransport.builder()
            .ringName("r")
            .preset(Preset.KUBERNETES)
            .bindAddress("127.0.0.1")
            .environment(
                Map.of(JGroupsTransport.Builder.DNS_QUERY_ENV, " habitat.ops.svc.cluster.local ")
                    ::get)
            .build();
    try (JChannel ch = channelOf(t)) {
      DNS_PING ping = ch.getProtocolStack().findProtocol(DNS_PING.class);
      assertThat(ping.dnsQuery()).isEqualTo("habitat.ops.svc.cluster.local");
    }
  }

  /** The same failure detection in every preset: see the preset files for why. */
  private static void assertFailureDetection(ProtocolStack stack) {
    List<Class<? extends Protocol>> classes =
        stack.getProtocols().stream().<Class<? extends Protocol>>map(Protocol::getClass).toList();
    assertThat(classes).contains(FD_SOCK2.class, FD_ALL3.class, MERGE3.class, GMS.class);
    assertThat(classes).doesNotContain(VERIFY_SUSPECT2.class);
    // JGroups never excludes a silent member before Habitat confirms it dead (1.3 s).
    long confirmAfter = Timing.defaults().confirmAfter().toMillis();
    FD_ALL3 fdAll = stack.findProtocol(FD_ALL3.class);
    assertThat(fdAll.getTimeout()).isGreaterThan(confirmAfter);
    FD_SOCK2 fdSock = stack.findProtocol(FD_SOCK2.class);
    assertThat(fdSock.getOffset()).isEqualTo(100);
    assertThat(((Number) fdSock.getValue("connect_timeout")).longValue())
        .isGreaterThan(confirmAfter);
  }

  @Test
  void twoMembersOfTheTcpPresetFormARingOn127001() {
    int base = PortBlock.find(2);
    String ring = "tcp-" + base;
    List<String> hosts = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1));
    RecordingReceiver r0 = new RecordingReceiver();
    RecordingReceiver r1 = new RecordingReceiver();
    Transport t0 = start(tcpMember(ring, base, hosts, "t0"), r0);
    Transport t1 = start(tcpMember(ring, base, hosts, "t1"), r1);
    List<RingAddress> both = List.of(t0.localAddress(), t1.localAddress());
    Awaitility.await("both see both")
        .atMost(BOUND)
        .until(() -> r0.lastViewIs(both) && r1.lastViewIs(both));
    t0.sendToAll("hello".getBytes(StandardCharsets.UTF_8));
    Awaitility.await("the multicast arrives")
        .atMost(BOUND)
        .until(() -> r1.textsFrom(t0.localAddress()).contains("hello"));
  }

  private static JGroupsTransport tcpMember(
      String ring, int base, List<String> hosts, String name) {
    return JGroupsTransport.builder()
        .ringName(ring)
        .preset(Preset.TCP)
        .bindAddress("127.0.0.1")
        .bindPort(base)
        .portRange(2)
        .initialHosts(hosts)
        .memberName(name)
        .build();
  }

  /**
   * Needs IP multicast on the loopback interface: Linux delivers multicasts sent on lo to sockets
   * that joined the group there, even though lo has no MULTICAST flag. Where that does not hold the
   * test is skipped (the stack itself is checked above either way).
   */
  @Test
  void twoMembersOfTheLanPresetFormARingOn127001() throws IOException {
    int port = 40_000 + ThreadLocalRandom.current().nextInt(5_000);
    String group = "239.77." + ThreadLocalRandom.current().nextInt(256) + ".1";
    assumeTrue(
        multicastWorksOnLoopback(group, port), "IP multicast on the loopback interface works");
    int base = PortBlock.find(2);
    String ring = "lan-" + base;
    RecordingReceiver r0 = new RecordingReceiver();
    RecordingReceiver r1 = new RecordingReceiver();
    Transport t0 = start(lanMember(ring, base, group, port, "l0"), r0);
    Transport t1 = start(lanMember(ring, base, group, port, "l1"), r1);
    List<RingAddress> both = List.of(t0.localAddress(), t1.localAddress());
    Awaitility.await("both see both")
        .atMost(BOUND)
        .until(() -> r0.lastViewIs(both) && r1.lastViewIs(both));
    t1.sendToAll("hello".getBytes(StandardCharsets.UTF_8));
    Awaitility.await("the multicast arrives")
        .atMost(BOUND)
        .until(() -> r0.textsFrom(t1.localAddress()).contains("hello"));
  }

  private static JGroupsTransport lanMember(
      String ring, int base, String group, int port, String name) {
    return JGroupsTransport.builder()
        .ringName(ring)
        .preset(Preset.LAN)
        .bindAddress("127.0.0.1")
        .bindPort(base)
        .portRange(2)
        .multicastAddress(group)
        .multicastPort(port)
        .memberName(name)
        .build();
  }

  private static boolean multicastWorksOnLoopback(String group, int port) throws IOException {
    InetAddress groupAddress = InetAddress.getByName(group);
    NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    if (lo == null) {
      return false;
    }
    try (MulticastSocket socket = new MulticastSocket(new InetSocketAddress(port))) {
      socket.setNetworkInterface(lo);
      socket.joinGroup(new InetSocketAddress(groupAddress, port), lo);
      socket.setSoTimeout(2_000);
      byte[] probe = "probe".getBytes(StandardCharsets.UTF_8);
      socket.send(new DatagramPacket(probe, probe.length, groupAddress, port));
      DatagramPacket received = new DatagramPacket(new byte[16], 16);
      socket.receive(received);
      return received.getAddress().isLoopbackAddress();
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private Transport start(JGroupsTransport transport, Transport.Receiver receiver) {
    transports.add(transport);
    transport.start(receiver);
    return transport;
  }
}
