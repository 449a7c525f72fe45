package io.habitat.test.network;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import io.habitat.test.compliance.RecordingReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemoryNetworkTest {

  private final VirtualTime time = new VirtualTime();
  private final InMemoryNetwork network = new InMemoryNetwork(time, 1234);

  private record Member(InMemoryTransport transport, RecordingReceiver receiver) {
    RingAddress address() {
      return transport.localAddress();
    }

    void send(Member to, String text) {
      transport.send(to.address(), text.getBytes(StandardCharsets.UTF_8));
    }

    void sendToAll(String text) {
      transport.sendToAll(text.getBytes(StandardCharsets.UTF_8));
    }

    RingView lastView() {
      return receiver.lastView().orElseThrow();
    }

    List<RingAddress> viewMembers() {
      return lastView().members();
    }
  }

  private Member start(String name) {
    InMemoryTransport t = network.newTransport(time.newNode(name));
    RecordingReceiver r = new RecordingReceiver();
    t.start(r);
    return new Member(t, r);
  }

  private List<Member> startAll(String... names) {
    List<Member> members = new ArrayList<>();
    for (String name : names) {
      members.add(start(name));
    }
    time.runFor(network.timings().viewDelay());
    return members;
  }

  private static List<RingAddress> addresses(Member... members) {
    return java.util.Arrays.stream(members).map(Member::address).toList();
  }

  // ---- membership ----

  @Test
  void aJoinerGetsItsViewAtOnceAndTheOthersAfterTheViewDelay() {
    Member a = start("a");
    Member b = start("b");
    assertThat(b.viewMembers()).containsExactly(a.address(), b.address());
    assertThat(a.viewMembers()).containsExactly(a.address());
    time.runFor(ofMillis(9));
    assertThat(a.viewMembers()).containsExactly(a.address());
    time.runFor(ofMillis(1));
    assertThat(a.lastView()).isEqualTo(b.lastView());
    assertThat(a.lastView().id().creator()).isEqualTo(a.address());
  }

  @Test
  void addressesAreTheNodeNameAndAnIncarnation() {
    Member first = start("m");
    first.transport().close();
    Member second = start("m");
    assertThat(first.address().id()).isEqualTo("m#1");
    assertThat(second.address().id()).isEqualTo("m#2");
  }

  @Test
  void aGracefulLeaveIsSeenAfterTheLeaveDelayAndACrashAfterTheCrashDetectionDelay() {
    List<Member> m = startAll("a", "b", "c");
    m.get(2).transport().close();
    time.runFor(ofMillis(9));
    assertThat(m.get(0).viewMembers()).hasSize(3);
    time.runFor(ofMillis(1));
    assertThat(m.get(0).viewMembers()).containsExactly(m.get(0).address(), m.get(1).address());

    m.get(0).transport().node().crash();
    time.runFor(ofMillis(49));
    assertThat(m.get(1).viewMembers()).hasSize(2);
    time.runFor(ofMillis(1));
    assertThat(m.get(1).viewMembers()).containsExactly(m.get(1).address());
    assertThat(m.get(1).lastView().id().creator()).isEqualTo(m.get(1).address());
  }

  @Test
  void viewSequencesGrowWithEveryView() {
    List<Member> m = startAll("a", "b", "c");
    m.get(1).transport().close();
    time.runFor(ofMillis(100));
    List<Long> sequences =
        m.get(0).receiver().views().stream().map(v -> v.id().sequence()).toList();
    assertThat(sequences).isSorted().doesNotHaveDuplicates().hasSize(4);
  }

  @Test
  void aPartitionSplitsViewsAndAHealMergesThemWithTheSidesLastViews() {
    List<Member> m = startAll("a", "b", "c", "d");
    Member a = m.get(0);
    Member b = m.get(1);
    Member c = m.get(2);
    Member d = m.get(3);
    network.partition(
        List.<List<Transport>>of(
            List.of(a.transport(), b.transport()), List.of(c.transport(), d.transport())));
    time.runFor(network.timings().crashDetectionDelay());
    assertThat(a.viewMembers()).containsExactlyElementsOf(addresses(a, b));
    assertThat(d.viewMembers()).containsExactlyElementsOf(addresses(c, d));
    assertThat(d.lastView().id().creator()).isEqualTo(c.address());
    RingView left = a.lastView();
    RingView right = c.lastView();

    a.send(c, "across");
    a.sendToAll("inside");
    time.runFor(ofMillis(1));
    assertThat(c.receiver().messages()).isEmpty();
    assertThat(b.receiver().textsFrom(a.address())).containsExactly("inside");

    network.heal();
    time.runFor(network.timings().mergeDelay().minusMillis(1));
    assertThat(a.lastView()).isEqualTo(left);
    time.runFor(ofMillis(1));
    for (Member x : m) {
      RingView merged = x.lastView();
      assertThat(merged.isMerge()).isTrue();
      assertThat(merged.members()).containsExactlyElementsOf(addresses(a, b, c, d));
      assertThat(merged.subgroups()).containsExactly(left.members(), right.members());
      assertThat(merged).isEqualTo(a.lastView());
    }
  }

  @Test
  void aThawWhileAMergeIsPendingMovesTheMergeToAFullDelayLater() {
    List<Member> m = startAll("a", "b", "c", "d");
    Member d = m.get(3);
    network.partition(
        List.<List<Transport>>of(
            List.of(m.get(0).transport(), m.get(1).transport()),
            List.of(m.get(2).transport(), d.transport())));
    time.runFor(ofMillis(100));
    d.transport().node().freeze();
    network.heal();
    time.runFor(ofMillis(500));
    d.transport().node().thaw();
    time.runFor(network.timings().mergeDelay().minusMillis(1));
    assertThat(m.get(0).viewMembers()).hasSize(2);
    time.runFor(ofMillis(1));
    assertThat(m.get(0).lastView().isMerge()).isTrue();
    assertThat(d.lastView()).isEqualTo(m.get(0).lastView());
  }

  @Test
  void messagesInFlightWhenAPartitionStartsAreLostEvenIfItHealsFirst() {
    network.faults(Faults.none().withDelay(ofMillis(100), ofMillis(100)));
    List<Member> m = startAll("a", "b", "c");
    m.get(0).send(m.get(2), "cut-off");
    m.get(0).send(m.get(1), "same-side");
    network.partition(
        List.<List<Transport>>of(
            List.of(m.get(0).transport(), m.get(1).transport()), List.of(m.get(2).transport())));
    network.heal();
    time.runFor(ofMillis(200));
    assertThat(m.get(2).receiver().messages()).isEmpty();
    assertThat(m.get(1).receiver().textsFrom(m.get(0).address())).containsExactly("same-side");
    assertThat(network.stats().dropped()).isEqualTo(1);
  }

  @Test
  void aPartitionMustPlaceEveryOpenTransportOnce() {
    List<Member> m = startAll("a", "b");
    assertThatThrownBy(() -> network.partition(List.of(List.of(m.get(0).transport()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(m.get(1).address().id())
        .hasMessageContaining("no side");
    Transport a = m.get(0).transport();
    assertThatThrownBy(
            () -> network.partition(List.of(List.of(a, m.get(1).transport()), List.of(a))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than one side");
    InMemoryTransport foreign =
        new InMemoryNetwork(time, 1).newTransport(time.newNode("elsewhere"));
    assertThatThrownBy(() -> network.crash(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not made by this InMemoryNetwork");
  }

  // ---- freeze ----

  @Test
  void aShortFreezeChangesNoViewAndDefersDeliveryUntilThaw() {
    List<Member> m = startAll("a", "b");
    List<RingView> viewsOfA = m.get(0).receiver().views();
    List<RingView> viewsOfB = m.get(1).receiver().views();
    m.get(1).transport().node().freeze();
    for (int i = 0; i < 5; i++) {
      m.get(0).send(m.get(1), "u" + i);
    }
    time.runFor(Duration.ofSeconds(1));
    assertThat(m.get(1).receiver().messages()).isEmpty();
    m.get(1).transport().node().thaw();
    time.runFor(Duration.ZERO);
    assertThat(m.get(1).receiver().textsFrom(m.get(0).address()))
        .containsExactly("u0", "u1", "u2", "u3", "u4");
    time.runFor(Duration.ofSeconds(5));
    assertThat(m.get(0).receiver().views()).isEqualTo(viewsOfA);
    assertThat(m.get(1).receiver().views()).isEqualTo(viewsOfB);
  }

  @Test
  void aLongFreezeExcludesTheMemberWhichFindsItselfAloneOnThawAndMergesBack() {
    List<Member> m = startAll("a", "b", "c");
    Member c = m.get(2);
    MembershipTimings timings = network.timings();
    c.transport().node().freeze();
    time.runFor(timings.freezeDetectionDelay().minusMillis(1));
    assertThat(m.get(0).viewMembers()).hasSize(3);
    time.runFor(ofMillis(1));
    assertThat(m.get(0).viewMembers()).containsExactlyElementsOf(addresses(m.get(0), m.get(1)));
    RingView majority = m.get(0).lastView();
    time.runFor(Duration.ofSeconds(3));
    assertThat(c.viewMembers()).hasSize(3);

    c.transport().node().thaw();
    time.runFor(Duration.ZERO);
    assertThat(c.viewMembers()).containsExactly(c.address());
    RingView alone = c.lastView();
    time.runFor(timings.mergeDelay());
    RingView merged = m.get(0).lastView();
    assertThat(merged.isMerge()).isTrue();
    assertThat(merged.members())
        .containsExactlyInAnyOrderElementsOf(addresses(m.get(0), m.get(1), c));
    assertThat(merged.subgroups()).containsExactly(majority.members(), alone.members());
    assertThat(c.lastView()).isEqualTo(merged);
  }

  @Test
  void aFrozenMemberIsNotExcludedWhenNoOneIsAwakeToNotice() {
    List<Member> m = startAll("a", "b");
    List<RingView> viewsOfA = m.get(0).receiver().views();
    List<RingView> viewsOfB = m.get(1).receiver().views();
    m.forEach(x -> x.transport().node().freeze());
    time.runFor(Duration.ofSeconds(10));
    m.forEach(x -> x.transport().node().thaw());
    time.runFor(ofMillis(10));
    assertThat(m.get(0).receiver().views()).isEqualTo(viewsOfA);
    assertThat(m.get(1).receiver().views()).isEqualTo(viewsOfB);
  }

  // ---- faults ----

  @Test
  void totalLossDropsEverythingAndCountsIt() {
    List<Member> m = startAll("a", "b", "c");
    network.faults(Faults.none().withLoss(1));
    m.get(0).send(m.get(1), "x");
    m.get(0).sendToAll("y");
    time.runFor(ofMillis(10));
    assertThat(m.get(1).receiver().messages()).isEmpty();
    assertThat(network.stats()).isEqualTo(new NetworkStats(3, 0, 3, 0));

    network.faults(Faults.none());
    m.get(0).send(m.get(1), "z");
    time.runFor(ofMillis(10));
    assertThat(m.get(1).receiver().textsFrom(m.get(0).address())).containsExactly("z");
  }

  @Test
  void partialLossDropsAboutTheConfiguredShare() {
    List<Member> m = startAll("a", "b");
    network.faults(Faults.none().withLoss(0.25));
    for (int i = 0; i < 2000; i++) {
      m.get(0).send(m.get(1), "m" + i);
    }
    time.runFor(ofMillis(10));
    int got = m.get(1).receiver().messages().size();
    assertThat(got).isBetween(1350, 1650);
    NetworkStats stats = network.stats();
    assertThat(stats.delivered()).isEqualTo(got);
    assertThat(stats.dropped()).isEqualTo(2000 - got);
    assertThat(stats.inFlight()).isZero();
    List<String> texts = m.get(1).receiver().textsFrom(m.get(0).address());
    assertThat(texts).isSortedAccordingTo((x, y) -> Integer.compare(num(x), num(y)));
  }

  @Test
  void duplicationDeliversCopiesInOrder() {
    List<Member> m = startAll("a", "b");
    network.faults(Faults.none().withDuplication(1));
    m.get(0).send(m.get(1), "p");
    m.get(0).send(m.get(1), "q");
    time.runFor(ofMillis(10));
    assertThat(m.get(1).receiver().textsFrom(m.get(0).address()))
        .containsExactly("p", "p", "q", "q");
    assertThat(network.stats()).isEqualTo(new NetworkStats(2, 4, 0, 2));
  }

  @Test
  void delaysAreDrawnFromTheConfiguredRange() {
    Member a = start("a");
    InMemoryTransport bt = network.newTransport(time.newNode("b"));
    List<Long> arrivals = new ArrayList<>();
    bt.start(
        new Transport.Receiver() {
          @Override
          public void onView(RingView view) {}

          @Override
          public void onMessage(RingAddress from, byte[] message) {
            arrivals.add(time.nanoTime());
          }
        });
    time.runFor(ofMillis(10));
    network.faults(Faults.none().withDelay(ofMillis(5), ofMillis(15)).withReorder(true));
    long sentAt = time.nanoTime();
    for (int i = 0; i < 100; i++) {
      a.transport().send(bt.localAddress(), new byte[] {(byte) i});
    }
    time.runFor(ofMillis(20));
    assertThat(arrivals).hasSize(100);
    assertThat(arrivals)
        .allSatisfy(
            at -> assertThat(at - sentAt).isBetween(ofMillis(5).toNanos(), ofMillis(15).toNanos()));
    assertThat(arrivals.stream().distinct().count()).isGreaterThan(50);
  }

  @Test
  void randomDelaysKeepEachSendersOrderUnlessReorderIsOn() {
    List<String> sent = IntStream.range(0, 200).mapToObj(i -> "m" + i).toList();
    Faults delays = Faults.none().withDelay(ofMillis(1), ofMillis(50));

    List<Member> m = startAll("a", "b");
    network.faults(delays);
    sent.forEach(text -> m.get(0).send(m.get(1), text));
    time.runFor(ofMillis(100));
    assertThat(m.get(1).receiver().textsFrom(m.get(0).address())).isEqualTo(sent);

    network.faults(delays.withReorder(true));
    sent.forEach(text -> m.get(0).sendToAll(text));
    time.runFor(ofMillis(100));
    List<String> got = m.get(1).receiver().textsFrom(m.get(0).address()).subList(200, 400);
    assertThat(got).containsExactlyInAnyOrderElementsOf(sent).isNotEqualTo(sent);
  }

  @Test
  void faultsAndTimingsRejectValuesOutOfBoundsNamingTheField() {
    assertThatThrownBy(() -> Faults.none().withLoss(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loss must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> Faults.none().withDuplication(Double.NaN))
        .hasMessageStartingWith("duplication must be in [0, 1]");
    assertThatThrownBy(() -> Faults.none().withDelay(ofMillis(5), ofMillis(4)))
        .hasMessageStartingWith("maxDelay must be at least minDelay");
    assertThatThrownBy(() -> Faults.none().withDelay(ofMillis(-1), ofMillis(4)))
        .hasMessageStartingWith("minDelay must not be negative");
    assertThatThrownBy(() -> MembershipTimings.defaults().withMergeDelay(ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("mergeDelay must be 0 to 1 hour");
  }

  @Test
  void sendingBeforeStartIsRefusedAndAfterCloseIgnored() {
    InMemoryTransport t = network.newTransport(time.newNode("x"));
    assertThatThrownBy(() -> t.sendToAll(new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started");
    t.start(new RecordingReceiver());
    t.close();
    t.send(t.localAddress(), new byte[0]);
    t.sendToAll(new byte[0]);
    assertThat(network.stats().sent()).isZero();
  }

  private static int num(String text) {
    return Integer.parseInt(text.substring(1));
  }
}
