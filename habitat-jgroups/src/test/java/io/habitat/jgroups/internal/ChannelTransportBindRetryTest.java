package io.habitat.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.HabitatException;
import io.habitat.core.spi.RingAddress;
import io.habitat.test.compliance.RecordingReceiver;
import io.habitat.test.process.FreePorts;
import java.io.InputStream;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.jgroups.JChannel;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member that loses the race for a port to a member starting at the same moment gets a new
 * channel (JGroups 5.5.7 gives up on the whole port block after losing one such race; the race
 * itself depends on timing, so the channel here fails its first connects on purpose).
 */
class ChannelTransportBindRetryTest {

  private final int base = FreePorts.block(2);
  private ChannelTransport transport = newTransport(0);

  @AfterEach
  void close() {
    transport.close();
  }

  private StackConfig loopbackStack() throws Exception {
    try (InputStream in =
        Objects.requireNonNull(
            ChannelTransport.class.getResourceAsStream(
                "/io/habitat/jgroups/presets/loopback.xml"))) {
      return StackConfig.read(
          "preset loopback",
          in,
          Map.of(
              "habitat.bind_addr",
              "127.0.0.1",
              "habitat.bind_port",
              Integer.toString(base),
              "habitat.port_range",
              "1",
              "habitat.initial_hosts",
              "127.0.0.1[" + base + "]"));
    }
  }

  private ChannelTransport newTransport(int failingConnects) {
    AtomicInteger failures = new AtomicInteger(failingConnects);
    ChannelTransport.ChannelFactory channels =
        configurator -> new FailingChannel(configurator, failures);
    try {
      return new ChannelTransport(
          "bind-" + base, "b", loopbackStack(), Duration.ofSeconds(20), null, channels);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aLostBindRaceIsRetriedWithANewChannel() {
    transport = newTransport(ChannelTransport.BIND_ATTEMPTS - 1);
    RecordingReceiver receiver = new RecordingReceiver();
    transport.start(receiver);
    RingAddress self = transport.localAddress();
    Awaitility.await("the member's own view")
        .atMost(Duration.ofSeconds(20))
        .until(() -> receiver.lastViewIs(List.of(self)));
  }

  @Test
  void aBlockThatStaysUnbindableFailsAfterTheLastAttempt() {
    transport = newTransport(ChannelTransport.BIND_ATTEMPTS);
    assertThatThrownBy(() -> transport.start(new RecordingReceiver()))
        .isInstanceOf(HabitatException.class)
        .hasMessageContaining("No available port to bind to")
        .hasMessageContaining("the port block has a free port");
    assertThat(transport.channel()).isNotNull();
  }

  /** A channel whose connect fails as JGroups' lost bind race does, while failures are left. */
  private static final class FailingChannel extends JChannel {
    private final AtomicInteger failures;

    FailingChannel(ProtocolStackConfigurator configurator, AtomicInteger failures)
        throws Exception {
      super(configurator);
      this.failures = failures;
    }

    @Override
    public synchronized JChannel connect(String clusterName) throws Exception {
      if (failures.getAndDecrement() > 0) {
        throw new BindException("No available port to bind to in range [7800 .. 7801]");
      }
      return super.connect(clusterName);
    }
  }
}
