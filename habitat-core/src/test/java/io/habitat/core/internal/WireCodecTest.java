package io.habitat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.habitat.core.ConfigFormat;
import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.internal.Wire.Ack;
import io.habitat.core.internal.Wire.Answer;
import io.habitat.core.internal.Wire.Body;
import io.habitat.core.internal.Wire.ConfigChange;
import io.habitat.core.internal.Wire.ConfigDoc;
import io.habitat.core.internal.Wire.ConfigId;
import io.habitat.core.internal.Wire.Coordinator;
import io.habitat.core.internal.Wire.DocId;
import io.habitat.core.internal.Wire.Election;
import io.habitat.core.internal.Wire.Envelope;
import io.habitat.core.internal.Wire.Exports;
import io.habitat.core.internal.Wire.ExportsRequest;
import io.habitat.core.internal.Wire.Heartbeat;
import io.habitat.core.internal.Wire.Leave;
import io.habitat.core.internal.Wire.Reelect;
import io.habitat.core.internal.WireCodec.MalformedMessageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Round trips and hostile bytes for every message type. The randomized parts are seeded and print
 * their seed on failure; tries come from {@code habitat.property.tries} (1,000 in the build,
 * 100,000 with {@code -Psoak}).
 */
class WireCodecTest {

  private static final int TRIES = Integer.getInteger("habitat.property.tries", 1000);
  private static final long SEED = Long.getLong("habitat.seed", 20261126L);

  /** Bytes written by protocol version 1, the codec of the previous release. */
  private static List<byte[]> versionOneFixtures() throws Exception {
    try (var in =
        java.util.Objects.requireNonNull(WireCodecTest.class.getResourceAsStream("/wire-v1.hex"))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> java.util.HexFormat.of().parseHex(l.strip()))
          .toList();
    }
  }

  @Test
  void messagesOfTheOlderVersionAreReadAndWrittenByteForByte() throws Exception {
    List<byte[]> fixtures = versionOneFixtures();
    assertThat(fixtures).hasSize(8);
    for (byte[] bytes : fixtures) {
      Envelope e = WireCodec.decode(bytes);
      assertThat(WireCodec.versionOf(bytes)).isEqualTo(1);
      assertThat(WireCodec.encode(e, 1)).isEqualTo(bytes);
      assertThat(WireCodec.decode(WireCodec.encode(e))).isEqualTo(e);
    }
    Heartbeat h = (Heartbeat) WireCodec.decode(fixtures.get(0)).body();
    assertThat(h.acceptedTerm()).isEqualTo(4);
    assertThat(h.leader()).isEqualTo(MemberId.of("m2"));
    // What version 1 cannot say takes its neutral value.
    assertThat(h.health()).isEqualTo(Health.UNKNOWN);
    assertThat(h.topology()).isEqualTo(Topology.LEADER);
    assertThat(h.exportsVersion()).isZero();
    assertThat(h.initialisedTerm()).isZero();
    assertThat(h.groupConfig()).isEqualTo(DocId.NONE);
  }

  @Test
  void theOlderVersionHasNoNewMessageTypes() {
    Envelope request =
        new Envelope(ServiceGroup.of("x"), MemberId.of("a"), 1, new ExportsRequest());
    assertThat(WireCodec.supports(request.body(), 1)).isFalse();
    assertThat(WireCodec.supports(request.body(), 2)).isTrue();
    assertThatThrownBy(() -> WireCodec.encode(request, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("protocol version 1 has no exports-request");
    byte[] v2 = WireCodec.encode(request);
    v2[2] = 1;
    assertThatThrownBy(() -> WireCodec.decode(v2))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("does not exist in protocol version 1");
  }

  @Test
  void everyMessageTypeRoundTrips() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED);
    for (int i = 0; i < TRIES; i++) {
      Envelope e = randomEnvelope(rnd);
      Envelope back = WireCodec.decode(WireCodec.encode(e));
      assertThat(back).as("seed %d try %d", SEED, i).isEqualTo(e);
    }
  }

  @Test
  void randomBytesAreRefusedWithMalformedMessageExceptionOnly() {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    for (int i = 0; i < TRIES; i++) {
      byte[] bytes = new byte[rnd.nextInt(0, 200)];
      for (int j = 0; j < bytes.length; j++) {
        bytes[j] = (byte) rnd.nextInt(256);
      }
      if (rnd.nextBoolean() && bytes.length > 3) {
        bytes[0] = 'H';
        bytes[1] = 'B';
        bytes[2] = 1;
      }
      decodeOrRefuse(bytes, "seed " + (SEED + 1) + " try " + i);
    }
  }

  @Test
  void mutatedMessagesAreRefusedOrDecodeToAValidMessage() {
    SplittableRandom rnd = new SplittableRandom(SEED + 2);
    for (int i = 0; i < TRIES; i++) {
      byte[] bytes = WireCodec.encode(randomEnvelope(rnd));
      int kind = rnd.nextInt(4);
      if (kind == 0) {
        bytes[rnd.nextInt(bytes.length)] ^= (byte) (1 << rnd.nextInt(8));
      } else if (kind == 1) {
        bytes = java.util.Arrays.copyOf(bytes, rnd.nextInt(bytes.length));
      } else if (kind == 2) {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1 + rnd.nextInt(8));
      } else {
        bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextInt(256);
      }
      decodeOrRefuse(bytes, "seed " + (SEED + 2) + " try " + i);
    }
  }

  @Test
  void foreignAndFutureVersionsAreRefusedWithAReason() {
    byte[] good = WireCodec.encode(randomEnvelope(new SplittableRandom(1)));
    byte[] future = good.clone();
    future[2] = (byte) (WireCodec.VERSION + 1);
    assertThatThrownBy(() -> WireCodec.decode(future))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(
            () ->
                WireCodec.decode(
                    "GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .hasMessageContaining("magic");
    assertThatThrownBy(() -> WireCodec.decode(new byte[WireCodec.MAX_MESSAGE_BYTES + 1]))
        .hasMessageContaining("too large");
  }

  @Test
  void oversizedMembershipsAreRefusedWhenEncoding() {
    List<MemberId> many = new ArrayList<>();
    for (int i = 0; i <= WireCodec.MAX_VOTERS; i++) {
      many.add(MemberId.of("m" + i));
    }
    Envelope e =
        new Envelope(
            ServiceGroup.of("x"), MemberId.of("a"), 1, new Coordinator(1, ConfigId.NONE, many, 0));
    assertThatThrownBy(() -> WireCodec.encode(e)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void decodeOrRefuse(byte[] bytes, String where) {
    try {
      Envelope e = WireCodec.decode(bytes);
      // Whatever decodes must encode to the same bytes: no lenient parsing.
      assertThat(WireCodec.encode(e, WireCodec.versionOf(bytes))).as(where).isEqualTo(bytes);
    } catch (MalformedMessageException expected) {
      assertThat(expected.getMessage()).as(where).isNotBlank();
    } catch (RuntimeException other) {
      fail(where + ": decode threw " + other, other);
    }
  }

  static Envelope randomEnvelope(SplittableRandom rnd) {
    ServiceGroup g =
        rnd.nextBoolean()
            ? ServiceGroup.of(name(rnd), name(rnd))
            : new ServiceGroup(name(rnd), name(rnd), name(rnd));
    return new Envelope(g, member(rnd), rnd.nextLong(0, Long.MAX_VALUE), body(rnd));
  }

  private static Body body(SplittableRandom rnd) {
    long t = rnd.nextLong(0, Long.MAX_VALUE);
    ConfigId c = new ConfigId(rnd.nextLong(0, 1000), rnd.nextLong(0, 1000));
    return switch (rnd.nextInt(12)) {
      case 0 ->
          new Heartbeat(
              rnd.nextLong(0, Long.MAX_VALUE),
              rnd.nextBoolean(),
              t,
              rnd.nextLong(0, Long.MAX_VALUE),
              rnd.nextBoolean() ? null : member(rnd),
              rnd.nextBoolean(),
              c,
              rnd.nextLong(),
              pick(rnd, Health.values()),
              pick(rnd, Topology.values()),
              rnd.nextLong(0, Long.MAX_VALUE),
              rnd.nextLong(0, Long.MAX_VALUE),
              rnd.nextBoolean() ? "" : name(rnd),
              new DocId(rnd.nextLong(0, 1000), rnd.nextLong(0, 1000), rnd.nextLong()));
      case 1 -> new Leave();
      case 2 -> new Election(t);
      case 3 -> new Answer(t);
      case 4 -> new Coordinator(t, c, members(rnd), rnd.nextLong());
      case 5 -> new Ack(t, rnd.nextBoolean(), rnd.nextLong(0, Long.MAX_VALUE), c, rnd.nextLong());
      case 6 -> new ExportsRequest();
      case 7 -> new Exports(rnd.nextLong(0, Long.MAX_VALUE), exports(rnd));
      case 8 -> {
        ConfigFormat f = rnd.nextBoolean() ? ConfigFormat.JSON : ConfigFormat.TOML;
        String doc =
            f == ConfigFormat.JSON
                ? "{\"port\": " + rnd.nextInt(65536) + "}"
                : "port = " + rnd.nextInt(65536) + "\n";
        yield new ConfigDoc(GroupConfigs.check(rnd.nextLong(1, 1000), Term.of(t), f, doc));
      }
      case 9 -> new Reelect(t);
      case 10 -> new Wire.Depart(member(rnd));
      default -> new ConfigChange(t, c, members(rnd));
    };
  }

  private static <T> T pick(SplittableRandom rnd, T[] values) {
    return List.of(values).get(rnd.nextInt(values.length));
  }

  private static Map<String, String> exports(SplittableRandom rnd) {
    Map<String, String> m = new TreeMap<>();
    int n = rnd.nextInt(0, 5);
    for (int i = 0; i < n; i++) {
      m.put(name(rnd).toLowerCase(Locale.ROOT), name(rnd));
    }
    return m;
  }

  private static List<MemberId> members(SplittableRandom rnd) {
    List<MemberId> l = new ArrayList<>();
    int n = rnd.nextInt(0, 8);
    for (int i = 0; i < n; i++) {
      l.add(member(rnd));
    }
    return l;
  }

  private static MemberId member(SplittableRandom rnd) {
    return MemberId.of(name(rnd) + (rnd.nextBoolean() ? ".x-" + rnd.nextInt(100) : ""));
  }

  private static String name(SplittableRandom rnd) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    int n = rnd.nextInt(1, 12);
    StringBuilder s = new StringBuilder().append(alphabet.charAt(rnd.nextInt(62)));
    for (int i = 1; i < n; i++) {
      s.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
