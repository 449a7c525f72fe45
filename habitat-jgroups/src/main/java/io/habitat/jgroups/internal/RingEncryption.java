package io.habitat.jgroups.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.protocols.FD_SOCK;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.VERIFY_SUSPECT;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.DiagnosticsHandler;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.ByteArray;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.FastArray;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.Util;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JGroups protocol of a keyed ring, directly above the transport: every message that goes down
 * is serialised whole (flags, addresses, the headers of every protocol above, payload) and sealed
 * with AES-256-GCM into the payload of a new message; every message that comes up must open, or it
 * is dropped and counted. Nothing a protocol above sends reaches the network in clear.
 *
 * <h2>Envelope</h2>
 *
 * <pre>
 * version (1 byte) | counter (8) | timestamp (8) | nonce (12) | AES-GCM(inner message) + tag (16)
 * </pre>
 *
 * <ul>
 *   <li>The key is {@link RingKey#senderKey} of the sealing member's address, so each member (each
 *       incarnation: a new connection has a new address) has a key of its own, and a random 96-bit
 *       nonce repeats with negligible probability however long the ring key lives.
 *   <li>The additional authenticated data is a label, the ring name, the sealing member's address
 *       (the outer message's source) and the version, counter and timestamp above.
 *   <li>The counter grows by one with every message the member seals. The receiver keeps a window
 *       of the last {@value #WINDOW} counters per sender and accepts each counter once.
 *   <li>The timestamp is the sender's clock; the receiver accepts it within {@link #MAX_AGE} of its
 *       own, so a message captured earlier cannot be replayed later, not even to a restarted member
 *       that has no window for the sender yet. Senders' windows are forgotten once every message
 *       they accepted is past that bound.
 *   <li>After opening, the inner message's destination and flags must match the outer message's,
 *       which the transport used to route it.
 * </ul>
 *
 * <p>The inner message's source is not checked against the sealing member: members retransmit other
 * members' multicasts (NAKACK2), and any holder of the ring key is trusted alike.
 *
 * <p>Rejections are counted by {@link Rejection}, and reported in one WARN at most every {@link
 * #WARN_INTERVAL}. Thread-safe.
 */
public final class RingEncryption extends Protocol {

  /** Why a message was dropped. */
  public enum Rejection {
    /** It is not a sealed message: sent by a member without a ring key, or forged. */
    NOT_ENCRYPTED("it is not encrypted (a member without the ring key, or a forgery)"),
    /** It failed authentication: sealed with another key or for another ring, or altered. */
    NOT_AUTHENTIC("it failed authentication (a member with another ring key, or tampering)"),
    /** Its counter was seen already, or is too far behind the sender's newest. */
    REPLAYED("it was received before (a replay)"),
    /** Its timestamp is further from this member's clock than the age bound. */
    EXPIRED(
        "its timestamp is more than "
            + MAX_AGE.toSeconds()
            + " s from this member's clock (a replay, or clocks apart: check NTP)");

    private final String description;

    Rejection(String description) {
      this.description = description;
    }
  }

  /** How far a message's timestamp may be from the receiver's clock. */
  public static final Duration MAX_AGE = Duration.ofSeconds(30);

  /** How often a WARN about rejected messages is logged at most. */
  public static final Duration WARN_INTERVAL = Duration.ofMinutes(1);

  /** How many counters behind a sender's newest the replay window reaches. */
  public static final int WINDOW = 4096;

  static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int HEADER_BYTES = 1 + 8 + 8;
  private static final int ENVELOPE_BYTES = HEADER_BYTES + NONCE_BYTES;
  private static final String AAD_LABEL = "habitat ring message v1\0";

  private static final Logger logger = LoggerFactory.getLogger(RingEncryption.class);
  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("this JVM lacks AES/GCM/NoPadding", e);
            }
          });

  private final RingKey key;
  private final byte[] aadPrefix;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong sealed = new AtomicLong();
  private final ConcurrentHashMap<Address, Window> windows = new ConcurrentHashMap<>();
  private final Map<Rejection, LongAdder> rejections = new EnumMap<>(Rejection.class);
  private final AtomicLong nextWarnNanos = new AtomicLong(System.nanoTime());
  private volatile long nextPruneMillis;
  private volatile LongSupplier clock = System::currentTimeMillis;
  private volatile @Nullable Sealer sealer;

  /** The protocol for one ring; {@link #install} puts it into a channel's stack. */
  public RingEncryption(RingKey key) {
    this.key = Objects.requireNonNull(key, "key");
    byte[] label = AAD_LABEL.getBytes(StandardCharsets.US_ASCII);
    byte[] ring = (key.ringName() + "\0").getBytes(StandardCharsets.UTF_8);
    this.aadPrefix = Arrays.copyOf(label, label.length + ring.length);
    System.arraycopy(ring, 0, aadPrefix, label.length, ring.length);
    for (Rejection why : Rejection.values()) {
      rejections.put(why, new LongAdder());
    }
  }

  /** The timeout of the VERIFY_SUSPECT2 a keyed ring adds when its stack has none. */
  public static final long VERIFY_TIMEOUT_MILLIS = 100;

  /**
   * Checks that a channel's stack can be keyed and inserts a new instance directly above its
   * transport. Call before the channel connects.
   *
   * @param source where the stack comes from, for messages
   *     <p>FD_SOCK/FD_SOCK2 keep connections of their own, outside the encryption; when no
   *     VERIFY_SUSPECT or VERIFY_SUSPECT2 sits above them, one is added ({@value
   *     #VERIFY_TIMEOUT_MILLIS} ms), so that their suspicions are checked over the encrypted ring.
   * @throws IllegalStateException if the stack opens a door the encryption cannot close: the
   *     transport's diagnostics handler is enabled
   */
  public static RingEncryption install(JChannel channel, RingKey key, String source) {
    ProtocolStack stack = channel.getProtocolStack();
    DiagnosticsHandler diagnostics = stack.getTransport().getDiagnosticsHandler();
    if (diagnostics != null && diagnostics.isEnabled()) {
      throw new IllegalStateException(
          "the JGroups stack "
              + source
              + " enables the transport's diagnostics handler, which answers probes and runs"
              + " operations outside the ring's encryption: set diag.enabled=\"false\" on the"
              + " transport to key the ring");
    }
    List<Protocol> protocols = stack.getProtocols(); // top first
    int topVerifier = Integer.MAX_VALUE;
    for (int i = protocols.size() - 1; i >= 0; i--) {
      Protocol p = protocols.get(i);
      if (p instanceof VERIFY_SUSPECT || p instanceof VERIFY_SUSPECT2) {
        topVerifier = i;
      }
    }
    for (int i = 0; i < protocols.size(); i++) {
      Protocol p = protocols.get(i);
      if ((p instanceof FD_SOCK || p instanceof FD_SOCK2) && topVerifier > i) {
        // FD_SOCK2's own connections are not encrypted: a keyed ring verifies its suspicions over
        // the encrypted ring before anyone is excluded. The presets leave VERIFY_SUSPECT2 out for
        // speed (a false suspicion costs an election, never safety); a keyed ring pays its
        // timeout on a crash instead of letting a forged connection drop exclude a member.
        VERIFY_SUSPECT2 verify = new VERIFY_SUSPECT2();
        verify.setTimeout(VERIFY_TIMEOUT_MILLIS);
        try {
          stack.insertProtocol(verify, ProtocolStack.Position.ABOVE, p.getClass());
          // The stack's protocols were initialised when the channel was built; this one was not.
          verify.init();
        } catch (Exception e) {
          throw new IllegalStateException(
              "cannot add VERIFY_SUSPECT2 above " + p.getName() + " in " + source, e);
        }
        logger.info(
            "keyed ring: added VERIFY_SUSPECT2 (timeout {} ms) above {} of {}, so that a forged"
                + " drop of its unencrypted connections cannot exclude a member",
            VERIFY_TIMEOUT_MILLIS,
            p.getName(),
            source);
        break;
      }
    }
    RingEncryption encryption = new RingEncryption(key);
    try {
      stack.insertProtocol(encryption, ProtocolStack.Position.ABOVE, TP.class);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot insert the ring encryption above the transport of " + source, e);
    }
    return encryption;
  }

  /** Every message dropped so far. */
  public long rejected() {
    long total = 0;
    for (LongAdder count : rejections.values()) {
      total += count.sum();
    }
    return total;
  }

  /** The messages dropped so far for one reason. */
  public long rejected(Rejection why) {
    return Objects.requireNonNull(rejections.get(why)).sum();
  }

  /** Replaces the wall clock (milliseconds since the epoch) that stamps and checks messages. */
  public RingEncryption clock(LongSupplier clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  @Override
  public @Nullable Object down(Message msg) {
    Message outer = sealOrDrop(msg);
    return outer == null ? null : down_prot.down(outer);
  }

  @Override
  public CompletableFuture<Object> down(Message msg, boolean async) {
    Message outer = sealOrDrop(msg);
    return outer == null ? CompletableFuture.completedFuture(null) : down_prot.down(outer, async);
  }

  @Override
  public @Nullable Object up(Message msg) {
    Message inner = open(msg);
    return inner == null ? null : up_prot.up(inner);
  }

  @Override
  public void up(MessageBatch batch) {
    @SuppressWarnings("unchecked")
    FastArray<Message>.FastIterator it = (FastArray<Message>.FastIterator) batch.iterator();
    while (it.hasNext()) {
      Message inner = open(it.next());
      if (inner == null) {
        it.remove();
      } else {
        it.replace(inner);
      }
    }
    if (!batch.isEmpty()) {
      up_prot.up(batch);
    }
  }

  private @Nullable Message sealOrDrop(Message msg) {
    try {
      return seal(msg);
    } catch (Exception e) {
      logger.warn(
          "ring '{}': dropped a message to {} that could not be encrypted: {}",
          key.ringName(),
          msg.getDest(),
          e.toString());
      return null;
    }
  }

  /** The message sealed into a new one from this member; the message itself is left as it is. */
  Message seal(Message msg) throws Exception {
    Address self = local_addr;
    if (self == null) {
      throw new IllegalStateException("the channel has no address yet");
    }
    if (msg.getSrc() == null) {
      msg.setSrc(self); // the receiver's protocols need a source
    }
    Sealer own = sealer;
    if (own == null || !own.address.equals(self)) {
      byte[] address = addressBytes(self);
      own = new Sealer(self, address, key.senderKey(address));
      sealer = own;
    }
    ByteArray plain = Util.messageToBuffer(msg);
    Cipher cipher = CIPHER.get();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    cipher.init(Cipher.ENCRYPT_MODE, own.key, new GCMParameterSpec(TAG_BITS, nonce));
    byte[] out = new byte[ENVELOPE_BYTES + cipher.getOutputSize(plain.length())];
    ByteBuffer.wrap(out)
        .put(VERSION)
        .putLong(sealed.incrementAndGet())
        .putLong(clock.getAsLong())
        .put(nonce);
    cipher.updateAAD(aad(own.addressBytes, out, 0));
    cipher.doFinal(plain.array(), plain.offset(), plain.length(), out, ENVELOPE_BYTES);
    Message outer = new BytesMessage(msg.getDest(), out).setSrc(self);
    outer.setFlag(msg.getFlags(false), false);
    outer.setFlag(msg.getFlags(true), true);
    return outer;
  }

  /** The message sealed inside, or null when it is rejected (counted and reported). */
  @Nullable Message open(Message outer) {
    Address sender = outer.getSrc();
    if (!(outer instanceof BytesMessage)
        || sender == null
        || !outer.hasArray()
        || outer.getLength() < ENVELOPE_BYTES + TAG_BITS / 8
        || outer.getArray()[outer.getOffset()] != VERSION) {
      return reject(Rejection.NOT_ENCRYPTED, sender);
    }
    byte[] in = outer.getArray();
    int offset = outer.getOffset();
    ByteBuffer envelope = ByteBuffer.wrap(in, offset, ENVELOPE_BYTES);
    envelope.get(); // version
    long counter = envelope.getLong();
    long timestamp = envelope.getLong();
    byte[] senderAddress;
    try {
      senderAddress = addressBytes(sender);
    } catch (IOException e) {
      return reject(Rejection.NOT_AUTHENTIC, sender);
    }
    Window known = windows.get(sender);
    SecretKey senderKey = known != null ? known.key : key.senderKey(senderAddress);
    Message inner;
    try {
      Cipher cipher = CIPHER.get();
      cipher.init(
          Cipher.DECRYPT_MODE,
          senderKey,
          new GCMParameterSpec(TAG_BITS, in, offset + HEADER_BYTES, NONCE_BYTES));
      cipher.updateAAD(aad(senderAddress, in, offset));
      byte[] plain =
          cipher.doFinal(in, offset + ENVELOPE_BYTES, outer.getLength() - ENVELOPE_BYTES);
      inner = Util.messageFromBuffer(plain, 0, plain.length);
    } catch (Exception e) {
      return reject(Rejection.NOT_AUTHENTIC, sender);
    }
    if (!Objects.equals(inner.getDest(), outer.getDest())
        || inner.getFlags(false) != outer.getFlags(false)) {
      return reject(Rejection.NOT_AUTHENTIC, sender);
    }
    long now = clock.getAsLong();
    if (Math.abs(now - timestamp) > MAX_AGE.toMillis()) {
      return reject(Rejection.EXPIRED, sender);
    }
    boolean[] fresh = new boolean[1];
    windows.compute(
        sender,
        (address, window) -> {
          Window w = window != null ? window : new Window(senderKey);
          fresh[0] = w.accept(counter, now);
          return w;
        });
    if (!fresh[0]) {
      return reject(Rejection.REPLAYED, sender);
    }
    forgetIdleSenders(now);
    return inner;
  }

  /**
   * Drops the windows of senders from which nothing was accepted for twice the age bound: every
   * message they had accepted is past the bound by now (its timestamp was at most the bound ahead
   * of the clock when accepted), so no replay of one can pass without the window.
   */
  private void forgetIdleSenders(long now) {
    if (now < nextPruneMillis) {
      return;
    }
    nextPruneMillis = now + MAX_AGE.toMillis();
    long idleSince = now - 2 * MAX_AGE.toMillis();
    for (Address address : windows.keySet()) {
      windows.computeIfPresent(address, (a, w) -> w.lastAccepted < idleSince ? null : w);
    }
  }

  private byte[] aad(byte[] senderAddress, byte[] envelope, int offset) {
    byte[] aad = Arrays.copyOf(aadPrefix, aadPrefix.length + senderAddress.length + HEADER_BYTES);
    System.arraycopy(senderAddress, 0, aad, aadPrefix.length, senderAddress.length);
    System.arraycopy(envelope, offset, aad, aadPrefix.length + senderAddress.length, HEADER_BYTES);
    return aad;
  }

  private static byte[] addressBytes(Address address) throws IOException {
    ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(Util.size(address));
    Util.writeAddress(address, out);
    return Arrays.copyOf(out.buffer(), out.position());
  }

  private @Nullable Message reject(Rejection why, @Nullable Address sender) {
    Objects.requireNonNull(rejections.get(why)).increment();
    long now = System.nanoTime();
    long next = nextWarnNanos.get();
    if (now - next >= 0 && nextWarnNanos.compareAndSet(next, now + WARN_INTERVAL.toNanos())) {
      logger.warn(
          "ring '{}' dropped a message {}: {}; {} dropped since start (reported at most once a"
              + " minute; see JGroupsTransport.rejectedMessages())",
          key.ringName(),
          sender == null ? "without a sender" : "claiming to come from " + sender,
          why.description,
          rejected());
    }
    return null;
  }

  /** This member's address and key, as the envelope needs them. */
  private static final class Sealer {
    final Address address;
    final byte[] addressBytes;
    final SecretKey key;

    Sealer(Address address, byte[] addressBytes, SecretKey key) {
      this.address = address;
      this.addressBytes = addressBytes;
      this.key = key;
    }
  }

  /** The counters accepted from one sender: the newest and a bitmap of the ones before it. */
  private static final class Window {
    private final SecretKey key;
    private final long[] seen = new long[WINDOW / 64];
    private long newest;
    private long lastAccepted;

    Window(SecretKey key) {
      this.key = key;
    }

    /** Whether the counter is new, recording it if so. Called under the map's lock. */
    boolean accept(long counter, long now) {
      if (counter <= 0) {
        return false;
      }
      if (counter > newest) {
        if (counter - newest >= WINDOW) {
          Arrays.fill(seen, 0L);
        } else {
          for (long c = newest + 1; c < counter; c++) {
            clear(c);
          }
        }
        newest = counter;
      } else if (newest - counter >= WINDOW || isSet(counter)) {
        return false;
      }
      set(counter);
      lastAccepted = now;
      return true;
    }

    private boolean isSet(long counter) {
      int bit = (int) (counter % WINDOW);
      return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void set(long counter) {
      int bit = (int) (counter % WINDOW);
      seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long counter) {
      int bit = (int) (counter % WINDOW);
      seen[bit >>> 6] &= ~(1L << (bit & 63));
    }
  }
}
