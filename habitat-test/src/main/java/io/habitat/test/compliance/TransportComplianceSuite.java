package io.habitat.test.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.Census;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Transport}, as tests. An implementation's test class extends this suite
 * and supplies a {@link TransportFixture}; the suite then checks membership, delivery to one and to
 * all, per-sender order, close, crash and merge. The in-memory transport of this module and the
 * JGroups transport both pass it; a user's own transport should too.
 */
public abstract class TransportComplianceSuite {

  /** How many messages the ordering tests send per sender. */
  protected static final int ORDER_MESSAGES = 200;

  private TransportFixture fixture;
  private final List<Transport> started = new ArrayList<>();

  /** The fixture for one test; called before each test, closed after it. */
  protected abstract TransportFixture createFixture();

  @BeforeEach
  final void setUpFixture() {
    fixture = createFixture();
  }

  @AfterEach
  final void tearDownFixture() {
    for (Supervisor s : supervisors) {
      s.close();
    }
    fixture.close();
  }

  private final List<Supervisor> supervisors = new ArrayList<>();

  /** A started supervisor with one standalone service of group {@code compliance.default}. */
  protected final Service startService(String memberId) {
    Transport t = fixture.newTransport(memberId);
    Supervisor s = fixture.supervisor(t).build();
    supervisors.add(s);
    Service service =
        s.register(
            ServiceConfig.builder(GROUP)
                .topology(Topology.STANDALONE)
                .memberId(MemberId.of(memberId))
                .build());
    s.start();
    transportsOfServices.put(memberId, t);
    return service;
  }

  private final java.util.Map<String, Transport> transportsOfServices = new java.util.HashMap<>();

  private static final ServiceGroup GROUP = ServiceGroup.parse("compliance.default");

  private Transport transportOf(String memberId) {
    return java.util.Objects.requireNonNull(
        transportsOfServices.get(memberId), "no service " + memberId);
  }

  private static boolean sees(Service observer, String member, MemberState state) {
    Census c = observer.census();
    return c.member(MemberId.of(member)).map(m -> m.state() == state).orElse(false);
  }

  /** Starts {@code n} transports and waits until all of them see the same view of all n. */
  protected final List<Member> startMembers(int n) {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(startMember("m" + i));
    }
    List<RingAddress> all = members.stream().map(Member::address).toList();
    fixture.await(
        "all " + n + " members see a view of all " + n,
        () -> members.stream().allMatch(m -> m.receiver().lastViewIs(all)));
    return members;
  }

  /** Starts one transport. */
  protected final Member startMember(String name) {
    Transport t = fixture.newTransport(name);
    RecordingReceiver r = new RecordingReceiver();
    t.start(r);
    started.add(t);
    return new Member(t, r);
  }

  /** A started transport and what it received. */
  protected record Member(Transport transport, RecordingReceiver receiver) {
    /** The transport's address. */
    public RingAddress address() {
      return transport.localAddress();
    }

    void send(Member to, String text) {
      transport.send(to.address(), text.getBytes(StandardCharsets.UTF_8));
    }

    void sendToAll(String text) {
      transport.sendToAll(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The fixture of the running test. */
  protected final TransportFixture fixture() {
    return fixture;
  }

  @Test
  void startDeliversAViewThatContainsTheLocalAddress() {
    Member a = startMember("solo");
    assertThat(a.receiver().lastView()).isPresent();
    assertThat(a.receiver().lastView().orElseThrow().members()).contains(a.address());
  }

  @Test
  void startingTwiceIsRefused() {
    Member a = startMember("once");
    assertThatThrownBy(() -> a.transport().start(new RecordingReceiver()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void localAddressBeforeStartIsRefused() {
    Transport t = fixture.newTransport("unstarted");
    try {
      assertThatThrownBy(t::localAddress).isInstanceOf(IllegalStateException.class);
    } finally {
      t.close();
    }
  }

  @Test
  void membersThatStartTogetherAgreeOnOneView() {
    List<Member> members = startMembers(3);
    RingView view = members.get(0).receiver().lastView().orElseThrow();
    for (Member m : members) {
      assertThat(m.receiver().lastView().orElseThrow().members())
          .containsExactlyElementsOf(view.members());
      assertThat(m.receiver().lastView().orElseThrow().id()).isEqualTo(view.id());
    }
  }

  @Test
  void sendReachesOnlyTheAddressee() {
    List<Member> m = startMembers(3);
    m.get(0).send(m.get(1), "hello");
    fixture.await(
        "m1 gets hello", () -> m.get(1).receiver().textsFrom(m.get(0).address()).size() == 1);
    assertThat(m.get(1).receiver().textsFrom(m.get(0).address())).containsExactly("hello");
    fixture.settle(Duration.ofMillis(200));
    assertThat(m.get(2).receiver().messages()).isEmpty();
    assertThat(m.get(0).receiver().messages()).isEmpty();
  }

  @Test
  void sendToSelfIsDelivered() {
    Member a = startMember("self");
    a.send(a, "me");
    fixture.await("self-delivery", () -> a.receiver().textsFrom(a.address()).contains("me"));
  }

  @Test
  void sendToAllReachesEveryoneButTheSender() {
    List<Member> m = startMembers(3);
    m.get(0).sendToAll("all");
    fixture.await(
        "m1 and m2 get the broadcast",
        () ->
            m.get(1).receiver().textsFrom(m.get(0).address()).contains("all")
                && m.get(2).receiver().textsFrom(m.get(0).address()).contains("all"));
    fixture.settle(Duration.ofMillis(200));
    assertThat(m.get(0).receiver().messages()).isEmpty();
    assertThat(m.get(1).receiver().messages()).hasSize(1);
  }

  @Test
  void messagesOfOneSenderArriveInOrder() {
    List<Member> m = startMembers(3);
    List<String> expected = IntStream.range(0, ORDER_MESSAGES).mapToObj(i -> "u" + i).toList();
    List<String> expectedAll = IntStream.range(0, ORDER_MESSAGES).mapToObj(i -> "b" + i).toList();
    for (int i = 0; i < ORDER_MESSAGES; i++) {
      m.get(0).send(m.get(1), expected.get(i));
      m.get(0).sendToAll(expectedAll.get(i));
      m.get(2).send(m.get(1), "x" + i);
    }
    fixture.await(
        "m1 gets all " + 3 * ORDER_MESSAGES + " messages",
        () -> m.get(1).receiver().messages().size() == 3 * ORDER_MESSAGES);
    List<String> from0 = m.get(1).receiver().textsFrom(m.get(0).address());
    assertThat(from0.stream().filter(s -> s.startsWith("u")).toList()).isEqualTo(expected);
    assertThat(from0.stream().filter(s -> s.startsWith("b")).toList()).isEqualTo(expectedAll);
    assertThat(m.get(1).receiver().textsFrom(m.get(2).address()))
        .isEqualTo(IntStream.range(0, ORDER_MESSAGES).mapToObj(i -> "x" + i).toList());
    fixture.await(
        "m2 gets every broadcast in order",
        () -> m.get(2).receiver().textsFrom(m.get(0).address()).equals(expectedAll));
  }

  @Test
  void aClosedMemberLeavesTheViewOfTheOthers() {
    List<Member> m = startMembers(3);
    m.get(2).transport().close();
    List<RingAddress> rest = List.of(m.get(0).address(), m.get(1).address());
    fixture.await(
        "m0 and m1 see a view without m2",
        () -> m.get(0).receiver().lastViewIs(rest) && m.get(1).receiver().lastViewIs(rest));
  }

  @Test
  void closeIsIdempotentAndStopsDelivery() {
    List<Member> m = startMembers(2);
    m.get(1).transport().close();
    m.get(1).transport().close();
    int viewsBefore = m.get(1).receiver().views().size();
    m.get(0).sendToAll("after-close");
    fixture.settle(Duration.ofMillis(200));
    assertThat(m.get(1).receiver().messages()).isEmpty();
    assertThat(m.get(1).receiver().views()).hasSize(viewsBefore);
  }

  @Test
  void sendingAfterTheAddresseeLeftDoesNotThrow() {
    List<Member> m = startMembers(2);
    RingAddress gone = m.get(1).address();
    m.get(1).transport().close();
    fixture.await(
        "m0 sees m1 gone", () -> m.get(0).receiver().lastViewIs(List.of(m.get(0).address())));
    m.get(0).transport().send(gone, "late".getBytes(StandardCharsets.UTF_8));
    m.get(0).sendToAll("late");
  }

  @Test
  void aCrashedMemberLeavesTheViewOfTheOthers() {
    List<Member> m = startMembers(3);
    fixture.crash(m.get(0).transport());
    List<RingAddress> rest = List.of(m.get(1).address(), m.get(2).address());
    fixture.await(
        "m1 and m2 see a view without the crashed m0",
        () -> m.get(1).receiver().lastViewIs(rest) && m.get(2).receiver().lastViewIs(rest));
    m.get(1).send(m.get(2), "still-here");
    fixture.await(
        "survivors still talk",
        () -> m.get(2).receiver().textsFrom(m.get(1).address()).contains("still-here"));
  }

  @Test
  void aPartitionSplitsTheViewAndAHealMergesIt() {
    List<Member> m = startMembers(3);
    List<RingAddress> all = m.stream().map(Member::address).toList();
    fixture.partition(
        List.of(
            List.of(m.get(0).transport(), m.get(1).transport()), List.of(m.get(2).transport())));
    List<RingAddress> majority = List.of(m.get(0).address(), m.get(1).address());
    fixture.await(
        "each side installs its own view",
        () ->
            m.get(0).receiver().lastViewIs(majority)
                && m.get(1).receiver().lastViewIs(majority)
                && m.get(2).receiver().lastViewIs(List.of(m.get(2).address())));

    m.get(2).sendToAll("lonely");
    m.get(0).send(m.get(1), "inside");
    fixture.await(
        "traffic inside a side flows",
        () -> m.get(1).receiver().textsFrom(m.get(0).address()).contains("inside"));

    fixture.heal();
    fixture.await(
        "everyone installs a merge view of all three",
        () -> m.stream().allMatch(x -> x.receiver().lastViewIs(all)));
    for (Member x : m) {
      RingView v = x.receiver().lastView().orElseThrow();
      assertThat(v.isMerge()).as("view after heal on %s is a merge view", x.address()).isTrue();
      assertThat(v.subgroups()).hasSizeGreaterThanOrEqualTo(2);
    }
    assertThat(m.get(0).receiver().textsFrom(m.get(2).address())).doesNotContain("lonely");

    m.get(2).send(m.get(0), "reunited");
    fixture.await(
        "traffic across the healed partition flows",
        () -> m.get(0).receiver().textsFrom(m.get(2).address()).contains("reunited"));
  }

  @Test
  void supervisorsSeeEachOtherAliveThroughTheirHeartbeats() {
    Service a = startService("s0");
    Service b = startService("s1");
    Service c = startService("s2");
    fixture.await(
        "every member sees the two others alive",
        () ->
            sees(a, "s1", MemberState.ALIVE)
                && sees(a, "s2", MemberState.ALIVE)
                && sees(b, "s0", MemberState.ALIVE)
                && sees(b, "s2", MemberState.ALIVE)
                && sees(c, "s0", MemberState.ALIVE)
                && sees(c, "s1", MemberState.ALIVE));
    assertThat(a.census().members()).hasSize(3);
  }

  @Test
  void aSilentMemberIsSuspectedThenConfirmedDead() {
    Service a = startService("s0");
    Service b = startService("s1");
    startService("s2");
    fixture.await(
        "s0 and s1 see s2 alive",
        () -> sees(a, "s2", MemberState.ALIVE) && sees(b, "s2", MemberState.ALIVE));
    fixture.silence(transportOf("s2"));
    fixture.await(
        "s0 and s1 suspect the silent s2",
        () -> !sees(a, "s2", MemberState.ALIVE) && !sees(b, "s2", MemberState.ALIVE));
    fixture.await(
        "s0 and s1 confirm s2 dead",
        () -> sees(a, "s2", MemberState.CONFIRMED) && sees(b, "s2", MemberState.CONFIRMED));
    assertThat(sees(a, "s1", MemberState.ALIVE)).isTrue();
  }

  @Test
  void aGracefulCloseRemovesTheMemberFromTheCensus() {
    Service a = startService("s0");
    Service b = startService("s1");
    // The goodbye goes to the members the leaver has heard of; one that closes before it heard
    // anyone leaves as a crash does, through the ring's view.
    fixture.await(
        "s0 and s1 see each other alive",
        () -> sees(a, "s1", MemberState.ALIVE) && sees(b, "s0", MemberState.ALIVE));
    supervisors.get(1).close();
    fixture.await(
        "s1 is gone from the census of s0", () -> a.census().member(MemberId.of("s1")).isEmpty());
  }

  @Test
  void aCrashedMemberIsConfirmedDeadAtTheViewChange() {
    Service a = startService("s0");
    startService("s1");
    startService("s2");
    fixture.await(
        "s0 sees s2 alive",
        () -> sees(a, "s2", MemberState.ALIVE) && sees(a, "s1", MemberState.ALIVE));
    fixture.crash(transportOf("s2"));
    fixture.await("s0 confirms the crashed s2 dead", () -> sees(a, "s2", MemberState.CONFIRMED));
    assertThat(sees(a, "s1", MemberState.ALIVE)).isTrue();
  }
}
