package io.habitat.test.network;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A run with random faults, partitions, a freeze and a crash replays exactly from its seed. */
class DeterminismTest {

  /** The digest of every delivery and view of one run, and the trace it was computed from. */
  record Run(String digest, String trace) {}

  @Test
  void theSameSeedGivesTheSameTrace() {
    Run first = run(20_251_126L);
    Run second = run(20_251_126L);
    assertThat(second.trace()).isEqualTo(first.trace());
    assertThat(second.digest()).isEqualTo(first.digest());
    assertThat(first.trace()).contains(" merge ").contains(" msg ");
  }

  @Test
  void anotherSeedGivesAnotherTrace() {
    assertThat(run(1).digest()).isNotEqualTo(run(2).digest());
  }

  @Test
  void manySeedsRunWithoutFailure() {
    for (long seed = 0; seed < 50; seed++) {
      assertThat(run(seed).trace()).contains(" view ");
    }
  }

  static Run run(long seed) {
    VirtualTime time = new VirtualTime();
    InMemoryNetwork network = new InMemoryNetwork(time, seed);
    network.faults(
        Faults.none()
            .withLoss(0.1)
            .withDelay(ofMillis(1), ofMillis(20))
            .withDuplication(0.05)
            .withReorder(true));
    SplittableRandom script = new SplittableRandom(~seed);
    StringBuilder trace = new StringBuilder(1 << 16);
    List<InMemoryTransport> members = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      InMemoryTransport t = network.newTransport(time.newNode("n" + i));
      members.add(t);
      t.start(new Tracer(t, time, trace));
    }
    for (InMemoryTransport t : members) {
      new Traffic(t, members, script).next();
    }
    time.runFor(ofMillis(200));
    network.partition(
        List.<List<Transport>>of(
            List.copyOf(members.subList(0, 3)), List.copyOf(members.subList(3, 5))));
    time.runFor(ofMillis(500));
    network.heal();
    time.runFor(ofMillis(1500));
    members.get(1).node().freeze();
    time.runFor(Duration.ofSeconds(2));
    members.get(1).node().thaw();
    time.runFor(Duration.ofSeconds(2));
    members.get(4).node().crash();
    time.runFor(Duration.ofSeconds(1));
    trace.append(network.stats()).append('\n');
    return new Run(sha256(trace.toString()), trace.toString());
  }

  /** Sends a message every few milliseconds from its node: to one random member or to all. */
  private static final class Traffic {
    private final InMemoryTransport from;
    private final List<InMemoryTransport> members;
    private final SplittableRandom script;
    private int count;

    Traffic(InMemoryTransport from, List<InMemoryTransport> members, SplittableRandom script) {
      this.from = from;
      this.members = members;
      this.script = script;
    }

    void next() {
      from.node().schedule(Duration.ofMillis(1 + script.nextInt(10)), this::send);
    }

    private void send() {
      byte[] text = (from.localAddress() + "-" + count++).getBytes(StandardCharsets.UTF_8);
      if (script.nextInt(4) == 0) {
        from.sendToAll(text);
      } else {
        from.send(members.get(script.nextInt(members.size())).localAddress(), text);
      }
      next();
    }
  }

  /** Appends every view and message a member receives, with the virtual instant. */
  private record Tracer(InMemoryTransport self, VirtualTime time, StringBuilder trace)
      implements Transport.Receiver {
    @Override
    public void onView(RingView view) {
      trace
          .append(time.nanoTime())
          .append(' ')
          .append(self.localAddress())
          .append(view.isMerge() ? " merge " : " view ")
          .append(view)
          .append('\n');
    }

    @Override
    public void onMessage(RingAddress from, byte[] message) {
      trace
          .append(time.nanoTime())
          .append(' ')
          .append(self.localAddress())
          .append(" msg ")
          .append(from)
          .append(' ')
          .append(new String(message, StandardCharsets.UTF_8))
          .append('\n');
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every JVM", e);
    }
  }
}
