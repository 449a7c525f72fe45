package io.habitat.test.network;

import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Transport} of an {@link InMemoryNetwork}, bound to one {@link VirtualNode}. Made by
 * {@link InMemoryNetwork#newTransport}.
 *
 * <p>It keeps the whole {@link Transport} contract, with these specifics:
 *
 * <ul>
 *   <li>The address is the node's name, {@code #}, and how many transports this network made for
 *       that name ({@code m1#1}, then {@code m1#2} after a restart), so runs are reproducible.
 *   <li>{@link #start} delivers the first view (one that adds this member to its side's group)
 *       before it returns, on the calling thread; every later view and message is delivered as an
 *       event of the node, so a frozen node receives nothing until it thaws, and a closed or
 *       crashed one never again. While the receiver runs for such an event, {@code
 *       node.inEventLoop()} is true, so a receiver may run its protocol step directly.
 *   <li>{@link #sendToAll} sends to the members of the last view delivered to this member.
 *   <li>Sending before {@link #start} throws {@link IllegalStateException}; sending after {@link
 *       #close} is ignored.
 * </ul>
 *
 * <p>Confined to the thread that drives the network's {@link VirtualTime}.
 */
public final class InMemoryTransport implements Transport {

  enum Status {
    NEW,
    OPEN,
    CLOSED,
    CRASHED
  }

  final InMemoryNetwork network;
  final VirtualNode node;
  final RingAddress address;
  final int index;
  Status status = Status.NEW;
  private Transport.@Nullable Receiver receiver;
  int side;
  InMemoryNetwork.@Nullable Group group;
  @Nullable RingView deliveredView;
  final ArrayDeque<RingView> pendingViews = new ArrayDeque<>(2);
  int freezeEpoch;
  int inFlightTo;
  private long[] lastUnicast = new long[0];
  private long[] lastBroadcast = new long[0];

  InMemoryTransport(InMemoryNetwork network, VirtualNode node, RingAddress address, int index) {
    this.network = network;
    this.node = node;
    this.address = address;
    this.index = index;
  }

  /** The node this transport delivers on. */
  public VirtualNode node() {
    return node;
  }

  /** The network this transport belongs to. */
  public InMemoryNetwork network() {
    return network;
  }

  /**
   * Joins the ring. The first view is delivered to the receiver before this returns; the others see
   * the new member after {@link MembershipTimings#viewDelay()}.
   *
   * @throws IllegalStateException if called more than once, or if the node is closed
   */
  @Override
  public void start(Transport.Receiver receiver) {
    Objects.requireNonNull(receiver, "receiver");
    if (status != Status.NEW) {
      throw new IllegalStateException(
          "transport " + address + " was already started; make a new transport to rejoin");
    }
    if (node.isClosed()) {
      throw new IllegalStateException(
          "node " + node.name() + " is closed; a transport on it cannot start");
    }
    this.receiver = receiver;
    status = Status.OPEN;
    network.join(this);
  }

  @Override
  public RingAddress localAddress() {
    if (status == Status.NEW) {
      throw new IllegalStateException("transport on node " + node.name() + " is not started");
    }
    return address;
  }

  @Override
  public void send(RingAddress to, byte[] message) {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(message, "message");
    checkStarted();
    if (status == Status.OPEN) {
      network.send(this, to, message);
    }
  }

  @Override
  public void sendToAll(byte[] message) {
    Objects.requireNonNull(message, "message");
    checkStarted();
    RingView view = deliveredView;
    if (status == Status.OPEN && view != null) {
      network.sendToAll(this, view, message);
    }
  }

  /**
   * Leaves the ring gracefully: nothing more is delivered to this member, and the others install a
   * view without it after {@link MembershipTimings#leaveDelay()}. Idempotent.
   */
  @Override
  public void close() {
    network.close(this);
  }

  @Override
  public String toString() {
    return address + "[" + status.name().toLowerCase(Locale.ROOT) + "]";
  }

  // ---- for the network ----

  boolean isOpen() {
    return status == Status.OPEN;
  }

  Transport.Receiver receiver() {
    return Objects.requireNonNull(receiver, "receiver of a started transport");
  }

  /** Delivers every view installed for this member and not yet delivered, oldest first. */
  void drainViews() {
    RingView view;
    while (status == Status.OPEN && (view = pendingViews.poll()) != null) {
      deliveredView = view;
      receiver().onView(view);
    }
  }

  /** The instant the last message of the kind to the receiver is due; for FIFO without reorder. */
  long lastDue(int receiverIndex, boolean broadcast) {
    long[] last = broadcast ? lastBroadcast : lastUnicast;
    return receiverIndex < last.length ? last[receiverIndex] : Long.MIN_VALUE;
  }

  void setLastDue(int receiverIndex, boolean broadcast, long due) {
    long[] last = broadcast ? lastBroadcast : lastUnicast;
    if (receiverIndex >= last.length) {
      long[] grown = Arrays.copyOf(last, Math.max(receiverIndex + 1, last.length * 2));
      Arrays.fill(grown, last.length, grown.length, Long.MIN_VALUE);
      last = grown;
      if (broadcast) {
        lastBroadcast = grown;
      } else {
        lastUnicast = grown;
      }
    }
    last[receiverIndex] = due;
  }

  private void checkStarted() {
    if (status == Status.NEW) {
      throw new IllegalStateException(
          "transport on node " + node.name() + " is not started; call start first");
    }
  }
}
