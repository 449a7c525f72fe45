package io.habitat.test.network;

import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import io.habitat.core.spi.ViewId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic in-memory ring on {@link VirtualTime}: it hands out {@link InMemoryTransport}s,
 * carries their messages as events of the receiving {@link VirtualNode}, and acts as their
 * membership service, the way JGroups' GMS, failure detection and merge protocols would.
 *
 * <h2>Membership</h2>
 *
 * The network keeps <em>groups</em>: sets of members that share a view. Every started, open member
 * is in exactly one group, and every view installed for a group goes to all its members, each
 * receiving its views in installation order.
 *
 * <ul>
 *   <li><b>Start.</b> A member joins the oldest group whose coordinator is on its side and not
 *       frozen (or forms its own). It gets the new view before {@code start} returns; the others
 *       get it after {@link MembershipTimings#viewDelay()}.
 *   <li><b>Leave.</b> After a graceful {@link Transport#close()}, the rest install a view without
 *       the member after {@link MembershipTimings#leaveDelay()}.
 *   <li><b>Crash.</b> After {@link #crash(Transport)} or a {@linkplain VirtualNode#crash() node
 *       crash}, after {@link MembershipTimings#crashDetectionDelay()}.
 *   <li><b>Freeze.</b> A member whose node stays frozen for {@link
 *       MembershipTimings#freezeDetectionDelay()} is excluded from its group (when some other
 *       member of the group is awake to notice) and put in a group of its own; on thaw it finds
 *       that view waiting, and merges back after {@link MembershipTimings#mergeDelay()}.
 *   <li><b>Partition.</b> {@link #partition} puts each member on a side; traffic between sides
 *       stops at once, and after {@link MembershipTimings#crashDetectionDelay()} each group that
 *       spans sides splits into one group per side, each with its own view.
 *   <li><b>Merge.</b> When a side holds two or more groups whose coordinators are awake (after
 *       {@link #heal()}, or after an excluded member thaws), they merge after {@link
 *       MembershipTimings#mergeDelay()} into one group with a {@linkplain RingView#isMerge() merge
 *       view}, whose subgroups are the merged groups' last views. The merged members are ordered by
 *       group, groups by their coordinator's address.
 * </ul>
 *
 * View ids: the creator is the view's first member; the sequence is one counter for the whole
 * network, so it grows with every view.
 *
 * <h2>Messages</h2>
 *
 * A message is delivered when, at its delivery instant, the addressee is open and on the sender's
 * side, and no {@link #partition} between sending and delivery put them on different sides.
 * Messages of one sender to one receiver of one kind ({@code send} or {@code sendToAll}) keep their
 * order unless {@link Faults#reorder()} is on. {@link #faults(Faults)} adds seeded loss, delay and
 * duplication; {@link #stats()} counts what happened.
 *
 * <h2>Threads and determinism</h2>
 *
 * Confined to the thread that drives the {@link VirtualTime}. Every random choice comes from one
 * {@link SplittableRandom} seeded at construction and is drawn in the order of the calls, so the
 * same seed and the same calls give the same run; no choice depends on hashing or threads.
 */
public final class InMemoryNetwork {

  /** Members that share a view. */
  static final class Group {
    final List<InMemoryTransport> members = new ArrayList<>();
    RingView view;

    Group(RingView placeholder) {
      this.view = placeholder;
    }

    InMemoryTransport coordinator() {
      return members.get(0);
    }
  }

  private static final long NO_MERGE = Long.MIN_VALUE;

  private final VirtualTime time;
  private final long seed;
  private final SplittableRandom random;
  private final VirtualNode membership;
  private final List<InMemoryTransport> transports = new ArrayList<>();
  private final Map<RingAddress, InMemoryTransport> byAddress = new HashMap<>();
  private final Map<String, Integer> incarnations = new HashMap<>();
  private final List<Group> groups = new ArrayList<>();
  private final List<int[]> sidesAfterCut = new ArrayList<>();
  private Faults faults = Faults.none();
  private MembershipTimings timings = MembershipTimings.defaults();
  private long viewSequence;
  private long mergeDue = NO_MERGE;
  private long sent;
  private long delivered;
  private long dropped;
  private long duplicated;

  /**
   * A network on the given virtual time, whose faults draw from a random source with the given
   * seed.
   */
  public InMemoryNetwork(VirtualTime time, long seed) {
    this.time = Objects.requireNonNull(time, "time");
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.membership = time.newNode("membership");
  }

  /** The virtual time this network runs on. */
  public VirtualTime time() {
    return time;
  }

  /** The seed given at construction. */
  public long seed() {
    return seed;
  }

  /** The faults in force. */
  public Faults faults() {
    return faults;
  }

  /** Replaces the faults; applies to messages sent from now on. */
  public void faults(Faults faults) {
    this.faults = Objects.requireNonNull(faults, "faults");
  }

  /** The membership timings in force. */
  public MembershipTimings timings() {
    return timings;
  }

  /** Replaces the membership timings; applies to changes that happen from now on. */
  public void timings(MembershipTimings timings) {
    this.timings = Objects.requireNonNull(timings, "timings");
  }

  /** The counters so far. */
  public NetworkStats stats() {
    return new NetworkStats(sent, delivered, dropped, duplicated);
  }

  /**
   * A new, not yet started transport on the node. Its address is the node's name, {@code #}, and
   * the number of transports made for that name so far.
   */
  public InMemoryTransport newTransport(VirtualNode node) {
    Objects.requireNonNull(node, "node");
    if (node.time() != time) {
      throw new IllegalArgumentException(
          "node " + node.name() + " runs on another VirtualTime than this network");
    }
    int incarnation = incarnations.merge(node.name(), 1, Integer::sum);
    RingAddress address = new RingAddress(node.name() + "#" + incarnation);
    InMemoryTransport t = new InMemoryTransport(this, node, address, transports.size());
    transports.add(t);
    byAddress.put(address, t);
    node.addListener(new NodeWatcher(t));
    return t;
  }

  /**
   * Stops the transport abruptly, as {@code kill -9} would: nothing more is delivered to it, no
   * goodbye is sent, and the others install a view without it after {@link
   * MembershipTimings#crashDetectionDelay()}. The node itself goes on. Idempotent.
   */
  public void crash(Transport transport) {
    InMemoryTransport t = own(transport);
    switch (t.status) {
      case NEW -> t.status = InMemoryTransport.Status.CRASHED;
      case OPEN -> {
        t.status = InMemoryTransport.Status.CRASHED;
        forgetInbound(t);
        scheduleRemoval(t, timings.crashDetectionDelay().toNanos());
      }
      case CLOSED, CRASHED -> {}
    }
  }

  /**
   * Splits the ring into sides: traffic between sides stops now, and after {@link
   * MembershipTimings#crashDetectionDelay()} each side installs views of its own members. Every
   * open transport must be on exactly one side; transports made later join the first side.
   *
   * @throws IllegalArgumentException if a transport is of another network, listed twice, or an open
   *     one is missing
   */
  public void partition(List<List<Transport>> sides) {
    Objects.requireNonNull(sides, "sides");
    int[] assigned = new int[transports.size()];
    Arrays.fill(assigned, -1);
    for (int s = 0; s < sides.size(); s++) {
      for (Transport transport : sides.get(s)) {
        InMemoryTransport t = own(transport);
        if (assigned[t.index] >= 0) {
          throw new IllegalArgumentException(
              "transport " + t.address + " is on more than one side of the partition");
        }
        assigned[t.index] = s;
      }
    }
    for (InMemoryTransport t : transports) {
      if (t.isOpen() && assigned[t.index] < 0) {
        throw new IllegalArgumentException(
            "open transport " + t.address + " is on no side of the partition; list it once");
      }
    }
    for (InMemoryTransport t : transports) {
      t.side = Math.max(0, assigned[t.index]);
    }
    cut();
    membership.scheduleEvent(new SplitCheck(), timings.crashDetectionDelay().toNanos());
  }

  /**
   * Ends a partition: every transport is on one side again, and the groups of the former sides
   * merge after {@link MembershipTimings#mergeDelay()}. Messages sent across sides before the heal
   * stay lost.
   */
  public void heal() {
    for (InMemoryTransport t : transports) {
      t.side = 0;
    }
    cut();
    ensureMergeCheck(true);
  }

  // ---- transports ----

  void join(InMemoryTransport t) {
    Group group = null;
    for (Group g : groups) {
      InMemoryTransport coordinator = g.coordinator();
      if (coordinator.side == t.side && coordinator.isOpen() && !coordinator.node.isFrozen()) {
        group = g;
        break;
      }
    }
    if (group == null) {
      group = new Group(placeholderView(t));
      groups.add(group);
    }
    group.members.add(t);
    t.group = group;
    install(group, List.of(), timings.viewDelay().toNanos(), t);
    ensureMergeCheck(false);
  }

  void close(InMemoryTransport t) {
    switch (t.status) {
      case NEW -> t.status = InMemoryTransport.Status.CLOSED;
      case OPEN -> {
        t.status = InMemoryTransport.Status.CLOSED;
        forgetInbound(t);
        scheduleRemoval(t, timings.leaveDelay().toNanos());
      }
      case CLOSED, CRASHED -> {}
    }
  }

  void send(InMemoryTransport from, RingAddress to, byte[] message) {
    sent++;
    InMemoryTransport target = byAddress.get(to);
    if (target == null) {
      dropped++;
      return;
    }
    transmit(from, target, message, false);
  }

  void sendToAll(InMemoryTransport from, RingView view, byte[] message) {
    List<RingAddress> members = view.members();
    for (int i = 0, n = members.size(); i < n; i++) {
      RingAddress to = members.get(i);
      if (!to.equals(from.address)) {
        sent++;
        InMemoryTransport target = byAddress.get(to);
        if (target == null) {
          dropped++;
        } else {
          transmit(from, target, message, true);
        }
      }
    }
  }

  private void transmit(InMemoryTransport from, InMemoryTransport to, byte[] message, boolean all) {
    if (!to.isOpen() || from.side != to.side) {
      dropped++;
      return;
    }
    Faults f = faults;
    if (f.loss() > 0 && random.nextDouble() < f.loss()) {
      dropped++;
      return;
    }
    dispatch(from, to, message.clone(), all, f);
    if (f.duplication() > 0 && random.nextDouble() < f.duplication()) {
      duplicated++;
      dispatch(from, to, message.clone(), all, f);
    }
  }

  private void dispatch(
      InMemoryTransport from, InMemoryTransport to, byte[] message, boolean all, Faults f) {
    long min = f.minDelay().toNanos();
    long max = f.maxDelay().toNanos();
    long due = time.nanoTime() + (max > min ? min + random.nextLong(max - min + 1) : min);
    if (!f.reorder()) {
      due = Math.max(due, from.lastDue(to.index, all));
      from.setLastDue(to.index, all, due);
    }
    to.inFlightTo++;
    to.node.scheduleEventAt(new Delivery(from, to, message, sidesAfterCut.size()), due);
  }

  /** Whether no cut since {@code cuts} separated the two, and they are on one side now. */
  private boolean connected(InMemoryTransport a, InMemoryTransport b, int cuts) {
    if (a.side != b.side) {
      return false;
    }
    for (int c = cuts; c < sidesAfterCut.size(); c++) {
      int[] sides = sidesAfterCut.get(c);
      if (sides[a.index] != sides[b.index]) {
        return false;
      }
    }
    return true;
  }

  private void cut() {
    int[] sides = new int[transports.size()];
    for (InMemoryTransport t : transports) {
      sides[t.index] = t.side;
    }
    sidesAfterCut.add(sides);
  }

  private void forgetInbound(InMemoryTransport t) {
    dropped += t.inFlightTo;
    t.inFlightTo = 0;
    t.pendingViews.clear();
  }

  private InMemoryTransport own(Transport transport) {
    Objects.requireNonNull(transport, "transport");
    if (transport instanceof InMemoryTransport t && t.network == this) {
      return t;
    }
    throw new IllegalArgumentException(
        "transport " + transport + " was not made by this InMemoryNetwork");
  }

  // ---- membership ----

  private RingView placeholderView(InMemoryTransport t) {
    return RingView.of(new ViewId(t.address, 0), List.of(t.address));
  }

  /**
   * Installs a new view of the group's members: delivered to {@code immediate} (if any) now, on the
   * calling thread, and to the others as node events after the delay.
   */
  private void install(
      Group group,
      List<List<RingAddress>> subgroups,
      long delayNanos,
      @Nullable InMemoryTransport immediate) {
    List<RingAddress> members = new ArrayList<>(group.members.size());
    for (InMemoryTransport m : group.members) {
      members.add(m.address);
    }
    RingView view = new RingView(new ViewId(members.get(0), ++viewSequence), members, subgroups);
    group.view = view;
    for (InMemoryTransport m : group.members) {
      if (!m.isOpen()) {
        continue;
      }
      m.pendingViews.add(view);
      if (m == immediate) {
        m.drainViews();
      } else {
        m.node.scheduleEvent(new ViewDelivery(m), delayNanos);
      }
    }
  }

  private void install(Group group) {
    install(group, List.of(), 0, null);
  }

  private void scheduleRemoval(InMemoryTransport t, long delayNanos) {
    membership.scheduleEvent(new MembershipEvent(this::remove, t), delayNanos);
  }

  private void remove(InMemoryTransport t) {
    Group g = t.group;
    if (g == null) {
      return;
    }
    g.members.remove(t);
    t.group = null;
    if (g.members.isEmpty()) {
      groups.remove(g);
    } else {
      install(g);
    }
    ensureMergeCheck(false);
  }

  private void onFreeze(InMemoryTransport t) {
    t.freezeEpoch++;
    if (t.isOpen()) {
      membership.scheduleEvent(
          new FreezeCheck(t, t.freezeEpoch), timings.freezeDetectionDelay().toNanos());
    }
  }

  private void freezeCheck(InMemoryTransport t, int epoch) {
    Group g = t.group;
    if (!t.isOpen() || !t.node.isFrozen() || t.freezeEpoch != epoch || g == null) {
      return;
    }
    if (g.members.size() == 1) {
      return;
    }
    boolean someoneAwake = false;
    for (InMemoryTransport m : g.members) {
      someoneAwake |= m != t && m.isOpen() && !m.node.isFrozen();
    }
    if (!someoneAwake) {
      membership.scheduleEvent(new FreezeCheck(t, epoch), timings.freezeDetectionDelay().toNanos());
      return;
    }
    g.members.remove(t);
    install(g);
    Group alone = new Group(g.view);
    alone.members.add(t);
    t.group = alone;
    groups.add(alone);
    install(alone);
  }

  private void onThaw(InMemoryTransport t) {
    t.freezeEpoch++;
    ensureMergeCheck(true);
  }

  private void split() {
    for (Group g : List.copyOf(groups)) {
      Map<Integer, Group> bySide = new TreeMap<>();
      for (InMemoryTransport m : g.members) {
        bySide.computeIfAbsent(m.side, s -> new Group(g.view)).members.add(m);
      }
      if (bySide.size() < 2) {
        continue;
      }
      int at = groups.indexOf(g);
      groups.remove(at);
      for (Group part : bySide.values()) {
        groups.add(at++, part);
        for (InMemoryTransport m : part.members) {
          m.group = part;
        }
        install(part);
      }
    }
    ensureMergeCheck(false);
  }

  /** Groups whose coordinator is open and awake and whose members are all on its side. */
  private boolean mergeable(Group g) {
    InMemoryTransport coordinator = g.coordinator();
    if (!coordinator.isOpen() || coordinator.node.isFrozen()) {
      return false;
    }
    for (InMemoryTransport m : g.members) {
      if (m.side != coordinator.side) {
        return false;
      }
    }
    return true;
  }

  private Map<Integer, List<Group>> mergeableBySide() {
    Map<Integer, List<Group>> bySide = new TreeMap<>();
    for (Group g : groups) {
      if (mergeable(g)) {
        bySide.computeIfAbsent(g.coordinator().side, s -> new ArrayList<>()).add(g);
      }
    }
    return bySide;
  }

  /**
   * Schedules a merge {@link MembershipTimings#mergeDelay()} from now if some side holds two or
   * more mergeable groups. A heal or a thaw ({@code restart}) moves a pending merge to a full delay
   * from now; other changes leave a pending merge where it is, so churn cannot postpone it for
   * ever.
   */
  private void ensureMergeCheck(boolean restart) {
    if (mergeDue != NO_MERGE && !restart) {
      return;
    }
    for (List<Group> side : mergeableBySide().values()) {
      if (side.size() > 1) {
        long delay = timings.mergeDelay().toNanos();
        mergeDue = time.nanoTime() + delay;
        membership.scheduleEvent(new MergeCheck(mergeDue), delay);
        return;
      }
    }
  }

  private void merge(long due) {
    if (due != mergeDue) {
      return;
    }
    mergeDue = NO_MERGE;
    for (List<Group> side : mergeableBySide().values()) {
      if (side.size() < 2) {
        continue;
      }
      int at = groups.indexOf(side.get(0));
      List<Group> ordered = new ArrayList<>(side);
      ordered.sort(Comparator.comparing(g -> g.coordinator().address));
      Group merged = new Group(side.get(0).view);
      List<List<RingAddress>> subgroups = new ArrayList<>(ordered.size());
      for (Group g : ordered) {
        subgroups.add(g.view.members());
        merged.members.addAll(g.members);
      }
      groups.removeAll(side);
      groups.add(Math.min(at, groups.size()), merged);
      for (InMemoryTransport m : merged.members) {
        m.group = merged;
      }
      install(merged, subgroups, 0, null);
    }
    ensureMergeCheck(false);
  }

  // ---- events ----

  /** A message in flight, run on the receiver's node. */
  private final class Delivery extends VirtualEvent {
    private final InMemoryTransport from;
    private final InMemoryTransport to;
    private final byte[] message;
    private final int cuts;

    Delivery(InMemoryTransport from, InMemoryTransport to, byte[] message, int cuts) {
      super(to.node);
      this.from = from;
      this.to = to;
      this.message = message;
      this.cuts = cuts;
    }

    @Override
    void run() {
      if (!to.isOpen()) {
        return;
      }
      to.inFlightTo--;
      if (!connected(from, to, cuts)) {
        dropped++;
        return;
      }
      delivered++;
      to.receiver().onMessage(from.address, message);
    }
  }

  /** Delivers the member's pending views, run on its node. */
  private static final class ViewDelivery extends VirtualEvent {
    private final InMemoryTransport to;

    ViewDelivery(InMemoryTransport to) {
      super(to.node);
      this.to = to;
    }

    @Override
    void run() {
      to.drainViews();
    }
  }

  private final class MembershipEvent extends VirtualEvent {
    private final Consumer<InMemoryTransport> action;
    private final InMemoryTransport target;

    MembershipEvent(Consumer<InMemoryTransport> action, InMemoryTransport t) {
      super(membership);
      this.action = action;
      this.target = t;
    }

    @Override
    void run() {
      action.accept(target);
    }
  }

  private final class FreezeCheck extends VirtualEvent {
    private final InMemoryTransport target;
    private final int epoch;

    FreezeCheck(InMemoryTransport target, int epoch) {
      super(membership);
      this.target = target;
      this.epoch = epoch;
    }

    @Override
    void run() {
      freezeCheck(target, epoch);
    }
  }

  private final class SplitCheck extends VirtualEvent {
    SplitCheck() {
      super(membership);
    }

    @Override
    void run() {
      split();
    }
  }

  private final class MergeCheck extends VirtualEvent {
    private final long due;

    MergeCheck(long due) {
      super(membership);
      this.due = due;
    }

    @Override
    void run() {
      merge(due);
    }
  }

  /** Follows the freezes, thaws and closing of one transport's node. */
  private final class NodeWatcher implements VirtualNode.Listener {
    private final InMemoryTransport transport;

    NodeWatcher(InMemoryTransport transport) {
      this.transport = transport;
    }

    @Override
    public void onFreeze(VirtualNode node) {
      InMemoryNetwork.this.onFreeze(transport);
    }

    @Override
    public void onThaw(VirtualNode node) {
      InMemoryNetwork.this.onThaw(transport);
    }

    @Override
    public void onClose(VirtualNode node) {
      crash(transport);
    }
  }
}
