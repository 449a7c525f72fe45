package io.habitat.jgroups.internal;

import io.habitat.core.HabitatException;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import java.net.BindException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} on one {@link JChannel}. See {@link io.habitat.jgroups.JGroupsTransport} for
 * the contract; this class adds the mechanics:
 *
 * <ul>
 *   <li>Deliveries to the receiver pass a gate (a read lock); {@link #close} closes the gate under
 *       the write lock before it leaves the ring, so once it returns no call is in flight and none
 *       follows. A receiver that closes the transport from inside a callback does not wait for
 *       itself.
 *   <li>{@link #start} waits for a view that contains this member to have been delivered, whichever
 *       JGroups thread delivers it.
 *   <li>With a {@link RingKey}, {@link #start} inserts {@link RingEncryption} directly above the
 *       stack's transport before it connects; without one it logs one WARN saying so.
 *   <li>{@link #start} tries again, with a new channel, when no port of the block could be bound:
 *       members of one machine started at the same moment race for the same port, and JGroups gives
 *       up on the whole block when it loses one race (see docs/jgroups-notes.md).
 * </ul>
 */
public final class ChannelTransport implements Transport {

  private static final Logger log = LoggerFactory.getLogger(ChannelTransport.class);

  /** How often {@link #start} tries to connect when no port of the block could be bound. */
  static final int BIND_ATTEMPTS = 3;

  /** The largest message this transport accepts, in bytes. */
  public static final int MAX_MESSAGE_SIZE = 64 * 1024;

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final String ringName;
  private final @Nullable String memberName;
  private final StackConfig stack;
  private final Duration startTimeout;
  private final ChannelFactory channels;
  private final @Nullable RingKey ringKey;
  private volatile @Nullable RingEncryption encryption;
  private final AddressBook addresses = new AddressBook();
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private final ThreadLocal<Boolean> inCallback = ThreadLocal.withInitial(() -> Boolean.FALSE);
  private final CountDownLatch joined = new CountDownLatch(1);
  private volatile boolean gateClosed;
  private volatile @Nullable JChannel channel;
  private volatile @Nullable RingAddress local;

  /**
   * A transport that is not yet connected.
   *
   * @param ringName the JGroups cluster name
   * @param memberName the JGroups logical name (for logs), or null for a generated one
   * @param stack the protocol stack
   * @param startTimeout how long {@link #start} waits for the first view
   * @param ringKey the key of the ring, or null for an unencrypted ring
   */
  public ChannelTransport(
      String ringName,
      @Nullable String memberName,
      StackConfig stack,
      Duration startTimeout,
      @Nullable RingKey ringKey) {
    this(ringName, memberName, stack, startTimeout, ringKey, JChannel::new);
  }

  /**
   * A transport that is not yet connected, whose channels the factory creates (for tests).
   *
   * @param channels creates each channel {@link #start} connects
   */
  public ChannelTransport(
      String ringName,
      @Nullable String memberName,
      StackConfig stack,
      Duration startTimeout,
      @Nullable RingKey ringKey,
      ChannelFactory channels) {
    this.ringKey = ringKey;
    if (ringKey != null && !ringKey.ringName().equals(ringName)) {
      throw new IllegalArgumentException("the ring key belongs to another ring");
    }
    this.ringName = Objects.requireNonNull(ringName, "ringName");
    this.memberName = memberName;
    this.stack = Objects.requireNonNull(stack, "stack");
    this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
    this.channels = Objects.requireNonNull(channels, "channels");
  }

  /** Creates a channel from a stack configuration. */
  @FunctionalInterface
  public interface ChannelFactory {
    /** A new, unconnected channel. */
    JChannel create(ProtocolStackConfigurator configurator) throws Exception;
  }

  @Override
  public void start(Receiver receiver) {
    Objects.requireNonNull(receiver, "receiver");
    if (!state.compareAndSet(State.NEW, State.STARTED)) {
      throw new IllegalStateException(
          "transport of ring '" + ringName + "' was already started or closed; make a new one");
    }
    JGroupsLogging.routeToSlf4j();
    if (ringKey == null) {
      log.warn(
          "ring '{}' has no ring key: its traffic is neither encrypted nor authenticated, and any"
              + " process that reaches its ports can join it; set one with"
              + " JGroupsTransport.Builder.ringKeyFile(path) or ringKey(bytes), or the"
              + " HABITAT_RING_KEY environment variable (see docs/keyed-rings.md)",
          ringName);
    }
    JChannel ch;
    for (int attempt = 1; ; attempt++) {
      ch = newChannel(receiver);
      channel = ch;
      try {
        ch.connect(ringName);
        break;
      } catch (Exception e) {
        if (attempt < BIND_ATTEMPTS && lostBindRace(e) && state.get() == State.STARTED) {
          // JGroups binds its server socket with SO_REUSEADDR and tries the ports of the block
          // on one socket: when two members starting at the same moment bind the same port, the
          // one whose listen() loses keeps a socket that is "already bound" and gives up on the
          // whole block (JGroups 5.5.7, Util.bind). A new channel finds the winner listening and
          // moves on to the next port.
          log.warn(
              "ring '{}': no port of the block could be bound ({}), as happens when members"
                  + " start at the same moment; trying again with a new channel ({} of {})",
              ringName,
              e.getMessage(),
              attempt + 1,
              BIND_ATTEMPTS);
          closeQuietly(ch);
          continue;
        }
        close();
        throw new HabitatException(
            "cannot join ring '"
                + ringName
                + "' with stack "
                + stack.source()
                + ": "
                + e.getMessage()
                + "; check that the bind address exists and the port block has a free port",
            e);
      }
    }
    try {
      local = addresses.ring(ch.getAddress());
      if (!joined.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new HabitatException(
            "joined ring '"
                + ringName
                + "' but no view with this member arrived within "
                + startTimeout
                + "; check the JGroups log");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new HabitatException("interrupted while joining ring '" + ringName + "'", e);
    } catch (HabitatException e) {
      close();
      throw e;
    }
    log.info(
        "joined ring '{}' as {} ({}) at {} with {}{}",
        ringName,
        local,
        ch.getName(),
        ch.down(new Event(Event.GET_PHYSICAL_ADDRESS, ch.getAddress())),
        stack.source(),
        ringKey != null ? ", keyed" : "");
  }

  private JChannel newChannel(Receiver receiver) {
    JChannel ch;
    try {
      ch = channels.create(stack.configurator());
    } catch (Exception e) {
      state.set(State.CLOSED);
      throw new HabitatException(
          "cannot create a JGroups channel from " + stack.source() + ": " + e.getMessage(), e);
    }
    RingKey key = ringKey;
    if (key != null) {
      try {
        encryption = RingEncryption.install(ch, key, stack.source());
      } catch (IllegalStateException e) {
        state.set(State.CLOSED);
        ch.close();
        throw new HabitatException("cannot key ring '" + ringName + "': " + e.getMessage(), e);
      }
    }
    if (memberName != null) {
      ch.setName(memberName);
    }
    ch.setDiscardOwnMessages(false);
    ch.setReceiver(new Adapter(receiver, ch));
    return ch;
  }

  private static boolean lostBindRace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private void closeQuietly(JChannel ch) {
    try {
      ch.close();
    } catch (RuntimeException e) {
      log.debug("closing a channel that did not connect failed: {}", e.toString());
    }
  }

  @Override
  public RingAddress localAddress() {
    RingAddress address = local;
    JChannel ch = channel;
    if (address == null && ch != null && ch.getAddress() != null) {
      address = addresses.ring(ch.getAddress()); // asked from a view delivered during start()
    }
    if (address == null) {
      throw new IllegalStateException("the transport has no address before start() returns");
    }
    return address;
  }

  /** Whether the ring is keyed. */
  public boolean keyed() {
    return ringKey != null;
  }

  /** The messages the ring encryption dropped so far; 0 for an unencrypted ring. */
  public long rejectedMessages() {
    RingEncryption e = encryption;
    return e == null ? 0 : e.rejected();
  }

  /** The stack the channel is created from. */
  public StackConfig stack() {
    return stack;
  }

  /** The channel, once {@link #start} has created it. */
  public @Nullable JChannel channel() {
    return channel;
  }

  @Override
  public void send(RingAddress to, byte[] message) {
    Objects.requireNonNull(to, "to");
    Address dest = addresses.jgroups(to);
    dispatch(new BytesMessage(dest, copy(message)));
  }

  @Override
  public void sendToAll(byte[] message) {
    dispatch(new BytesMessage(null, copy(message)).setFlag(Message.TransientFlag.DONT_LOOPBACK));
  }

  @Override
  public int maxMessageSize() {
    return MAX_MESSAGE_SIZE;
  }

  private static byte[] copy(byte[] message) {
    if (message.length > MAX_MESSAGE_SIZE) {
      throw new IllegalArgumentException(
          "message of "
              + message.length
              + " bytes exceeds the transport's maximum of "
              + MAX_MESSAGE_SIZE
              + "; send less data per message");
    }
    return message.clone();
  }

  private void dispatch(Message message) {
    State current = state.get();
    if (current == State.NEW) {
      throw new IllegalStateException("send before start(): start the transport first");
    }
    JChannel ch = channel;
    if (current == State.CLOSED || ch == null) {
      log.debug("dropped a message to {}: the transport is {}", message.getDest(), current);
      return;
    }
    try {
      ch.send(message);
    } catch (Exception e) {
      log.debug("dropped a message to {}: {}", message.getDest(), e.toString());
    }
  }

  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) == State.CLOSED) {
      return;
    }
    if (inCallback.get()) {
      gateClosed = true;
    } else {
      gate.writeLock().lock();
      try {
        gateClosed = true;
      } finally {
        gate.writeLock().unlock();
      }
    }
    JChannel ch = channel;
    if (ch != null) {
      try {
        ch.close();
      } catch (RuntimeException e) {
        log.warn("closing the channel of ring '{}' failed: {}", ringName, e.toString(), e);
      }
    }
  }

  private void deliver(Runnable call) {
    gate.readLock().lock();
    try {
      if (gateClosed) {
        return;
      }
      inCallback.set(Boolean.TRUE);
      try {
        call.run();
      } catch (RuntimeException e) {
        log.warn("the receiver of ring '{}' threw; continuing", ringName, e);
      } finally {
        inCallback.remove();
      }
    } finally {
      gate.readLock().unlock();
    }
  }

  /** Turns JGroups callbacks into receiver calls. */
  private final class Adapter implements org.jgroups.Receiver {
    private final Transport.Receiver receiver;
    private final JChannel ch;

    Adapter(Transport.Receiver receiver, JChannel ch) {
      this.receiver = receiver;
      this.ch = ch;
    }

    @Override
    public void receive(Message msg) {
      Address src = msg.getSrc();
      if (src == null) {
        return;
      }
      RingAddress from = addresses.ring(src);
      if (!msg.hasArray() && msg instanceof BytesMessage) {
        deliver(() -> receiver.onMessage(from, new byte[0])); // an empty message
        return;
      }
      if (!msg.hasArray()) {
        log.warn("dropped a {} from {}: Habitat sends byte messages only", msg.getClass(), from);
        return;
      }
      byte[] array = msg.getArray();
      int offset = msg.getOffset();
      int length = msg.getLength();
      byte[] payload;
      if (offset == 0 && length == array.length) {
        payload = array;
      } else {
        payload = Arrays.copyOfRange(array, offset, offset + length);
      }
      deliver(() -> receiver.onMessage(from, payload));
    }

    @Override
    public void viewAccepted(View view) {
      RingView ringView = addresses.view(view);
      addresses.retain(view);
      deliver(() -> receiver.onView(ringView));
      Address self = ch.getAddress();
      if (self != null && view.containsMember(self)) {
        joined.countDown();
      }
    }
  }
}
