package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.jgroups.internal.RingEncryption;
import io.habitat.jgroups.internal.RingEncryption.Rejection;
import io.habitat.jgroups.internal.RingKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.GMS.GmsHeader;
import org.jgroups.stack.Protocol;
import org.jgroups.util.ByteArray;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.UUID;
import org.jgroups.util.Util;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The ring encryption on its own, between a stub transport and a stub protocol above it: what it
 * seals carries nothing in clear and opens once, at a member with the same key and ring only,
 * within the age bound only.
 */
class RingEncryptionTest {

  private static final String RING = "unit";
  private static final byte[] KEY = new byte[32];
  private static final short GMS_ID = ClassConfigurator.getProtocolId(GMS.class);
  private static final byte[] SECRET = "secret payload".getBytes(StandardCharsets.UTF_8);

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  private final Address a = UUID.randomUUID();
  private final Address b = UUID.randomUUID();
  private final Address c = UUID.randomUUID();
  private final AtomicLong now = new AtomicLong(1_750_000_000_000L);

  @Test
  void aSealedMessageCarriesNothingInClearAndOpensWhole() {
    Member alice = member(a);
    Member bob = member(b);
    Message inner =
        new BytesMessage(b, SECRET)
            .putHeader(GMS_ID, new GmsHeader(GmsHeader.LEAVE_REQ, a))
            .setFlag(Message.Flag.OOB);

    Message outer = alice.seal(inner);

    assertThat(outer.getNumHeaders()).isZero();
    assertThat(outer.getSrc()).isEqualTo(a);
    assertThat(outer.getDest()).isEqualTo(b);
    assertThat(outer.isFlagSet(Message.Flag.OOB)).isTrue();
    assertThat(contains(outer.getArray(), SECRET)).isFalse();

    Message opened = Objects.requireNonNull(bob.open(outer), "bob opens it");
    assertThat(opened.getSrc()).isEqualTo(a);
    assertThat(opened.getDest()).isEqualTo(b);
    assertThat(opened.isFlagSet(Message.Flag.OOB)).isTrue();
    assertThat(opened.getArray()).isEqualTo(SECRET);
    GmsHeader header = opened.getHeader(GMS_ID);
    assertThat(header.getType()).isEqualTo(GmsHeader.LEAVE_REQ);
    assertThat(header.getMember()).isEqualTo(a);
    assertThat(bob.encryption.rejected()).isZero();
  }

  @Test
  void eachMessageOpensOnceInAnyOrderWithinTheWindow() {
    Member alice = member(a);
    Member bob = member(b);
    Message m1 = alice.seal(message(b));
    Message m2 = alice.seal(message(b));
    Message m3 = alice.seal(message(b));
    Message behind = alice.seal(message(b));

    assertThat(bob.open(m3)).isNotNull();
    assertThat(bob.open(m1)).isNotNull();
    assertThat(bob.open(m2)).isNotNull();
    assertThat(bob.open(m1)).isNull();
    assertThat(bob.open(m3)).isNull();

    for (int i = 1; i < RingEncryption.WINDOW; i++) {
      alice.seal(message(null));
    }
    Message ahead = alice.seal(message(null));
    assertThat(bob.open(ahead)).isNotNull();
    assertThat(bob.open(behind)).as("a counter the window has passed").isNull();
    assertThat(bob.encryption.rejected(Rejection.REPLAYED)).isEqualTo(3);
    assertThat(bob.encryption.rejected()).isEqualTo(3);
  }

  @Test
  void anotherKeyAnotherRingOrAnyAlteredPartFailsAuthentication() {
    Member alice = member(a);
    Message outer = alice.seal(message(b).setFlag(Message.Flag.OOB));

    Member otherKey = new Member(RingKey.fromBytes(new byte[32], RING), b, now::get);
    assertThat(otherKey.open(outer)).isNull();
    Member otherRing = new Member(RingKey.fromBytes(KEY, "other-ring"), b, now::get);
    assertThat(otherRing.open(outer)).isNull();

    Member bob = member(b);
    byte[] sealed = outer.getArray();
    // version | counter | timestamp | nonce | ciphertext | tag
    for (int position : new int[] {1, 8, 9, 17, 28, 29, sealed.length / 2, sealed.length - 1}) {
      byte[] altered = sealed.clone();
      altered[position] ^= 1;
      assertThat(bob.open(new BytesMessage(b, altered).setSrc(a).setFlag(Message.Flag.OOB)))
          .as("byte %d altered", position)
          .isNull();
    }
    assertThat(bob.open(new BytesMessage(b, sealed).setSrc(c).setFlag(Message.Flag.OOB)))
        .as("another sender")
        .isNull();
    assertThat(bob.open(new BytesMessage(c, sealed).setSrc(a).setFlag(Message.Flag.OOB)))
        .as("another destination")
        .isNull();
    assertThat(bob.open(new BytesMessage(b, sealed).setSrc(a))).as("other flags").isNull();
    assertThat(bob.encryption.rejected(Rejection.NOT_AUTHENTIC)).isEqualTo(11);

    assertThat(bob.open(outer)).as("the message as sealed").isNotNull();
    assertThat(otherKey.encryption.rejected(Rejection.NOT_AUTHENTIC)).isEqualTo(1);
    assertThat(otherRing.encryption.rejected(Rejection.NOT_AUTHENTIC)).isEqualTo(1);
  }

  @Test
  void aPassphraseGivesEveryMemberOfTheRingTheSameKey() {
    char[] passphrase = "correct horse battery staple".toCharArray();
    Member alice = new Member(RingKey.fromPassphrase(passphrase, RING), a, now::get);
    Member bob = new Member(RingKey.fromPassphrase(passphrase, RING), b, now::get);
    Member otherRing = new Member(RingKey.fromPassphrase(passphrase, "other-ring"), b, now::get);
    Message outer = alice.seal(message(b));
    assertThat(otherRing.open(outer)).isNull();
    assertThat(bob.open(outer)).isNotNull();
  }

  @Test
  void unencryptedMessagesAreRejected() {
    Member bob = member(b);
    assertThat(bob.open(new EmptyMessage(b).setSrc(a).putHeader(GMS_ID, new GmsHeader()))).isNull();
    assertThat(bob.open(new BytesMessage(b, SECRET).setSrc(a))).isNull();
    assertThat(bob.encryption.rejected(Rejection.NOT_ENCRYPTED)).isEqualTo(2);
  }

  @Test
  void aMessageOutsideTheAgeBoundIsRejectedEvenByAMemberThatNeverSawIt() {
    Message outer = member(a).seal(message(null));
    long sealedAt = now.get();
    long bound = RingEncryption.MAX_AGE.toMillis();

    Member restarted = new Member(RingKey.fromBytes(KEY, RING), b, () -> sealedAt + bound + 1);
    assertThat(restarted.open(outer)).isNull();
    Member behind = new Member(RingKey.fromBytes(KEY, RING), b, () -> sealedAt - bound - 1);
    assertThat(behind.open(outer)).isNull();
    assertThat(restarted.encryption.rejected(Rejection.EXPIRED)).isEqualTo(1);
    assertThat(behind.encryption.rejected(Rejection.EXPIRED)).isEqualTo(1);

    Member inTime = new Member(RingKey.fromBytes(KEY, RING), b, () -> sealedAt + bound);
    assertThat(inTime.open(outer)).isNotNull();
  }

  @Test
  void rejectionsAreReportedInOneWarnPerInterval() {
    Member bob = member(b);
    try (LogCapture log = LogCapture.of(RingEncryption.class)) {
      for (int i = 0; i < 3; i++) {
        bob.open(new BytesMessage(b, SECRET).setSrc(a));
      }
      assertThat(log.warnings()).hasSize(1);
      assertThat(log.warnings().get(0)).contains("'" + RING + "'").contains("not encrypted");
    }
    assertThat(bob.encryption.rejected()).isEqualTo(3);
  }

  private Member member(Address self) {
    return new Member(RingKey.fromBytes(KEY, RING), self, now::get);
  }

  private static Message message(@Nullable Address dest) {
    return new BytesMessage(dest, SECRET);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }

  /** A ring encryption with a stub below, which keeps what goes down, and one above. */
  private static final class Member {
    final RingEncryption encryption;
    final List<Message> sent = new ArrayList<>();
    final List<Message> delivered = new ArrayList<>();

    Member(RingKey key, Address self, LongSupplier clock) {
      encryption = new RingEncryption(key).clock(clock);
      encryption.setAddress(self);
      encryption.setDownProtocol(
          new Protocol() {
            @Override
            public @Nullable Object down(Message msg) {
              sent.add(msg);
              return null;
            }
          });
      encryption.setUpProtocol(
          new Protocol() {
            @Override
            public @Nullable Object up(Message msg) {
              delivered.add(msg);
              return null;
            }

            @Override
            public void up(MessageBatch batch) {
              batch.forEach(delivered::add);
            }
          });
    }

    /** What the stub transport would put on the wire, as the receiving transport reads it. */
    Message seal(Message inner) {
      encryption.down(inner);
      try {
        ByteArray wire = Util.messageToBuffer(sent.get(sent.size() - 1));
        return Util.messageFromBuffer(wire.array(), wire.offset(), wire.length());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    /** What reaches the protocol above, or null. */
    @Nullable Message open(Message outer) {
      int before = delivered.size();
      encryption.up(outer);
      return delivered.size() > before ? delivered.get(delivered.size() - 1) : null;
    }
  }
}
