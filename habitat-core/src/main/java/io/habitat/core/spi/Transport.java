package io.habitat.core.spi;

/**
 * The only seam between the protocol and the network: membership views and opaque byte messages
 * between supervisors of one ring. {@code habitat-jgroups} implements it with a JGroups channel,
 * {@code habitat-test} with a deterministic in-memory network.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Lifecycle.</b> {@link #start} once, then {@link #close} (idempotent). A transport is not
 *       restarted; a new connection is a new transport with a new address.
 *   <li><b>Views.</b> After {@code start} returns, the receiver has been given at least one view
 *       that contains {@link #localAddress()}. Views arrive in the order the transport installs
 *       them; a merge after a partition arrives as a {@linkplain RingView#isMerge() merge view}.
 *   <li><b>Delivery.</b> {@link #send} and {@link #sendToAll} never block on the network and never
 *       throw for a peer that is gone; a message to a member that has left is dropped. Messages are
 *       delivered at most once. Between two members that stay in each other's views, messages of
 *       one kind ({@code send}, or {@code sendToAll}) arrive in the order they were sent; there is
 *       <em>no</em> order between a {@code send} and a {@code sendToAll} of the same sender
 *       (JGroups carries them on separate protocols). Across a view change or a partition, messages
 *       may be lost. The protocol on top tolerates loss; it never relies on delivery.
 *   <li><b>Self.</b> {@code sendToAll} does not deliver to the sender; {@code send} to one's own
 *       address does.
 *   <li><b>Threads.</b> The receiver may be called from transport threads, and from more than one
 *       at a time (messages of different senders, views); calls for one sender's messages of one
 *       kind are never concurrent. Receivers hand the work to their own event loop and return
 *       quickly.
 * </ul>
 */
public interface Transport extends AutoCloseable {

  /**
   * Connects to the ring and starts delivery to the receiver. Blocks until the first view that
   * contains this member has been delivered.
   *
   * @throws IllegalStateException if called more than once
   * @throws io.habitat.core.HabitatException if the ring cannot be joined, saying why
   */
  void start(Receiver receiver);

  /**
   * This connection's address.
   *
   * @throws IllegalStateException before {@link #start}
   */
  RingAddress localAddress();

  /** Sends a message to one member; dropped silently if the member is not reachable. */
  void send(RingAddress to, byte[] message);

  /** Sends a message to every other member of the current view. */
  void sendToAll(byte[] message);

  /** The largest message, in bytes, this transport carries. */
  default int maxMessageSize() {
    return 64 * 1024;
  }

  /**
   * Leaves the ring and releases its resources. Idempotent; after it returns, the receiver is not
   * called again. Never throws.
   */
  @Override
  void close();

  /** Where a transport delivers views and messages. See the {@link Transport} contract. */
  interface Receiver {
    /** A new view of the ring was installed. */
    void onView(RingView view);

    /** A message arrived. The array belongs to the receiver. */
    void onMessage(RingAddress from, byte[] message);
  }
}
