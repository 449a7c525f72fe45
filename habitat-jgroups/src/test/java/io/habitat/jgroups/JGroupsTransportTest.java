package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import io.habitat.test.compliance.RecordingReceiver;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.jgroups.JChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the JGroups transport promises beyond the shared compliance suite. */
class JGroupsTransportTest {

  private static final Duration BOUND = Duration.ofSeconds(20);

  private final String ringName = "transport-" + Long.toHexString(System.nanoTime());
  private final int basePort = PortBlock.find(4);
  private final List<Transport> transports = new ArrayList<>();

  @AfterEach
  void closeAll() {
    transports.forEach(Transport::close);
  }

  private JGroupsTransport.Builder builder(String name) {
    return JGroupsTransport.builder()
        .ringName(ringName)
        .bindPort(basePort)
        .portRange(4)
        .memberName(name);
  }

  private Transport start(JGroupsTransport.Builder builder, Transport.Receiver receiver) {
    Transport t = builder.build();
    transports.add(t);
    t.start(receiver);
    return t;
  }

  @Test
  void aCustomStackGetsTheBuildersPortsAndMembersFindEachOther(@TempDir Path dir) throws Exception {
    Path xml = dir.resolve("my-stack.xml");
    try (InputStream in =
        Objects.requireNonNull(
            JGroupsTransport.class.getResourceAsStream("presets/loopback.xml"))) {
      Files.write(xml, in.readAllBytes());
    }
    RecordingReceiver r0 = new RecordingReceiver();
    RecordingReceiver r1 = new RecordingReceiver();
    Transport t0 = start(builder("c0").stack(xml), r0);
    Transport t1 = start(builder("c1").stack(xml), r1);
    List<RingAddress> both = List.of(t0.localAddress(), t1.localAddress());
    Awaitility.await("both see both")
        .atMost(BOUND)
        .until(() -> r0.lastViewIs(both) && r1.lastViewIs(both));
    JChannel channel = Objects.requireNonNull(((JGroupsTransport) t0).channel());
    assertThat(channel.getProtocolStack().getTransport().getBindPort())
        .isBetween(basePort, basePort + 3);
  }

  @Test
  void aRingAddressRoundTripsAsTheJGroupsUuid() {
    RecordingReceiver r = new RecordingReceiver();
    JGroupsTransport t = (JGroupsTransport) start(builder("uuid"), r);
    org.jgroups.util.UUID uuid =
        (org.jgroups.util.UUID) Objects.requireNonNull(t.channel()).getAddress();
    assertThat(t.localAddress().id()).isEqualTo(uuid.toStringLong());
    assertThat(org.jgroups.util.UUID.fromString(t.localAddress().id())).isEqualTo(uuid);
  }

  @Test
  void aReceiverThatClosesItsTransportFromACallbackDoesNotHang() {
    RecordingReceiver r0 = new RecordingReceiver();
    Transport t0 = start(builder("a"), r0);
    Transport[] self = new Transport[1];
    AtomicBoolean closedInCallback = new AtomicBoolean();
    Transport.Receiver closing =
        new Transport.Receiver() {
          @Override
          public void onView(RingView view) {}

          @Override
          public void onMessage(RingAddress from, byte[] message) {
            self[0].close();
            closedInCallback.set(true);
          }
        };
    Transport t1 = builder("b").build();
    transports.add(t1);
    self[0] = t1;
    t1.start(closing);
    t0.send(t1.localAddress(), "close".getBytes(StandardCharsets.UTF_8));
    Awaitility.await("b closed itself and a saw it leave")
        .atMost(BOUND)
        .until(() -> closedInCallback.get() && r0.lastViewIs(List.of(t0.localAddress())));
  }

  @Test
  void aReceiverThatThrowsStillGetsTheNextMessage() {
    RecordingReceiver r0 = new RecordingReceiver();
    Transport t0 = start(builder("a"), r0);
    RecordingReceiver recorder = new RecordingReceiver();
    Transport.Receiver throwingOnce =
        new Transport.Receiver() {
          private final AtomicBoolean thrown = new AtomicBoolean();

          @Override
          public void onView(RingView view) {
            recorder.onView(view);
          }

          @Override
          public void onMessage(RingAddress from, byte[] message) {
            if (thrown.compareAndSet(false, true)) {
              throw new IllegalStateException("receiver failure on purpose");
            }
            recorder.onMessage(from, message);
          }
        };
    Transport t1 = start(builder("b"), throwingOnce);
    t0.send(t1.localAddress(), "first".getBytes(StandardCharsets.UTF_8));
    t0.send(t1.localAddress(), "second".getBytes(StandardCharsets.UTF_8));
    Awaitility.await("the second message arrives")
        .atMost(BOUND)
        .until(() -> recorder.textsFrom(t0.localAddress()).contains("second"));
    assertThat(recorder.textsFrom(t0.localAddress())).containsExactly("second");
  }

  @Test
  void anEmptyMessageIsDeliveredEmpty() {
    RecordingReceiver r = new RecordingReceiver();
    Transport t = start(builder("empty"), r);
    t.send(t.localAddress(), new byte[0]);
    Awaitility.await("the empty message arrives")
        .atMost(BOUND)
        .until(() -> r.textsFrom(t.localAddress()).equals(List.of("")));
  }
}
