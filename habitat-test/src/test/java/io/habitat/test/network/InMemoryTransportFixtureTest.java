package io.habitat.test.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.test.compliance.RecordingReceiver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryTransportFixtureTest {

  @Test
  void awaitFailsWithTheDescriptionOnceTheVirtualLimitHasPassed() {
    try (InMemoryTransportFixture fixture =
        new InMemoryTransportFixture(
            new InMemoryNetwork(new VirtualTime(), 3), Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> fixture.await("pigs fly", () -> false))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("pigs fly")
          .hasMessageContaining("PT5S");
      assertThat(fixture.time().nanoTime()).isEqualTo(Duration.ofSeconds(5).toNanos());
    }
  }

  @Test
  void crashingATransportThroughTheNetworkLeavesItsNodeRunning() {
    try (InMemoryTransportFixture fixture = new InMemoryTransportFixture(3)) {
      InMemoryTransport a = fixture.newTransport("a");
      InMemoryTransport b = fixture.newTransport("b");
      RecordingReceiver ra = new RecordingReceiver();
      a.start(ra);
      b.start(new RecordingReceiver());
      fixture.await("a sees b", () -> ra.lastViewIs(List.of(a.localAddress(), b.localAddress())));
      fixture.network().crash(b);
      boolean[] ran = {false};
      b.node().execute(() -> ran[0] = true);
      fixture.await("a sees b gone", () -> ra.lastViewIs(List.of(a.localAddress())));
      assertThat(ran[0]).isTrue();
      assertThat(b.node().isClosed()).isFalse();
    }
  }

  @Test
  void theFixtureCrashesTheWholeNode() {
    try (InMemoryTransportFixture fixture = new InMemoryTransportFixture(3)) {
      InMemoryTransport a = fixture.newTransport("a");
      a.start(new RecordingReceiver());
      fixture.crash(a);
      assertThat(a.node().isCrashed()).isTrue();
      assertThatThrownBy(() -> fixture.crash(new InMemoryTransportFixture(4).newTransport("x")))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
