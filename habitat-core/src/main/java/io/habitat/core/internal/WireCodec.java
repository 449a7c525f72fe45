package io.habitat.core.internal;

import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
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
import io.habitat.core.internal.Wire.Depart;
import io.habitat.core.internal.Wire.DocId;
import io.habitat.core.internal.Wire.Election;
import io.habitat.core.internal.Wire.Envelope;
import io.habitat.core.internal.Wire.ExportsRequest;
import io.habitat.core.internal.Wire.Heartbeat;
import io.habitat.core.internal.Wire.Leave;
import io.habitat.core.internal.Wire.Reelect;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of {@link Wire} messages.
 *
 * <pre>
 * magic 'H' 'B' | version u8 | type u8 | group str | sender str | incarnation i64 | body
 * str = u16 length + UTF-8 bytes; lists = u16 count + items
 * </pre>
 *
 * <p>A member reads {@link #VERSION} and the one before it, and writes the oldest version any live
 * member of its ring writes (the supervisor tracks it per address), so a ring can be upgraded one
 * member at a time: while an old member is present, the new members speak its version, without the
 * features it lacks. Anything else (a foreign packet, a truncated or oversized message, an unknown
 * type or version, trailing bytes, an invalid name) is refused with {@link
 * MalformedMessageException}, never another exception. Stateless and thread-safe.
 */
public final class WireCodec {

  /** The protocol version this build writes. */
  public static final int VERSION = 2;

  /** The oldest version this build reads. */
  public static final int OLDEST_READABLE_VERSION = 1;

  /** The largest encoded message accepted or produced. */
  public static final int MAX_MESSAGE_BYTES = 96 * 1024;

  /** The largest voting membership a message carries. */
  public static final int MAX_VOTERS = 1024;

  private static final byte MAGIC_0 = 'H';
  private static final byte MAGIC_1 = 'B';
  private static final int MAX_STRING_BYTES = 512;

  private static final int T_HEARTBEAT = 1;
  private static final int T_LEAVE = 2;
  private static final int T_ELECTION = 3;
  private static final int T_ANSWER = 4;
  private static final int T_COORDINATOR = 5;
  private static final int T_ACK = 6;
  private static final int T_CONFIG = 7;
  private static final int T_EXPORTS_REQUEST = 8;
  private static final int T_EXPORTS = 9;
  private static final int T_CONFIG_DOC = 10;
  private static final int T_REELECT = 11;
  private static final int T_DEPART = 12;
  private static final String[] TYPE_NAMES = {
    "",
    "heartbeat",
    "leave",
    "election",
    "answer",
    "coordinator",
    "ack",
    "config",
    "exports-request",
    "exports",
    "config-doc",
    "reelect",
    "depart"
  };
  // Wire codes are positions in these fixed arrays: never reorder them, only append.
  private static final Health[] HEALTH = {
    Health.OK, Health.WARNING, Health.CRITICAL, Health.UNKNOWN
  };
  private static final Topology[] TOPOLOGY = {
    Topology.STANDALONE, Topology.LEADER, Topology.INITIALIZER
  };
  private static final ConfigFormat[] FORMAT = {ConfigFormat.JSON, ConfigFormat.TOML};

  /** One encoding buffer per thread: encoding is on the hot path of every heartbeat. */
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(MAX_MESSAGE_BYTES));

  private static final ThreadLocal<java.nio.charset.CharsetDecoder> UTF8 =
      ThreadLocal.withInitial(
          () ->
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT));

  /** Recently decoded names, so that steady traffic does not re-validate the same strings. */
  private static final int NAME_CACHE_SIZE = 4096;

  private static final java.util.concurrent.ConcurrentHashMap<String, MemberId> MEMBERS =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.concurrent.ConcurrentHashMap<String, ServiceGroup> GROUPS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private WireCodec() {}

  /** Thrown for bytes that are not a valid message; the message says what was wrong. */
  public static final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedMessageException(String message) {
      super(message, null, false, false);
    }
  }

  /** Whether a protocol version has the message type. */
  public static boolean supports(Body body, int version) {
    return version >= 2 || type(body) <= T_CONFIG;
  }

  /**
   * The protocol version a message was written in; call only on bytes that {@link #decode}
   * accepted.
   */
  public static int versionOf(byte[] bytes) {
    return bytes[2] & 0xff;
  }

  /** Every message type's name, in wire-code order (without the unused code 0). */
  static String[] typeNames() {
    return java.util.Arrays.copyOfRange(TYPE_NAMES, 1, TYPE_NAMES.length);
  }

  /** The type name of a body, for counters and logs. */
  public static String typeName(Body body) {
    return TYPE_NAMES[type(body)];
  }

  /**
   * Encodes a message.
   *
   * @throws IllegalArgumentException if it would exceed {@link #MAX_MESSAGE_BYTES} or {@link
   *     #MAX_VOTERS}
   */
  public static byte[] encode(Envelope e) {
    return encode(e, VERSION);
  }

  /**
   * Encodes a message in an older version of the protocol, for a ring that still has members of
   * that version. Version 1 has no health, topology, exports, initialisation or group config in its
   * heartbeats, and none of the messages that carry them.
   *
   * @throws IllegalArgumentException if the version cannot carry the message ({@link #supports}),
   *     or as {@link #encode(Envelope)}
   */
  public static byte[] encode(Envelope e, int version) {
    if (!supports(e.body(), version)) {
      throw new IllegalArgumentException(
          "protocol version " + version + " has no " + typeName(e.body()) + " message");
    }
    ByteBuffer b = BUFFER.get().clear();
    try {
      b.put(MAGIC_0).put(MAGIC_1).put((byte) version).put((byte) type(e.body()));
      putString(b, e.group().toString());
      putString(b, e.sender().value());
      b.putLong(e.incarnation());
      Body body = e.body();
      if (body instanceof Heartbeat h) {
        b.putLong(h.suitability());
        b.put((byte) ((h.eligible() ? 1 : 0) | (h.leading() ? 2 : 0)));
        b.putLong(h.acceptedTerm());
        b.putLong(h.highestTerm());
        MemberId leader = h.leader();
        putString(b, leader == null ? "" : leader.value());
        putConfig(b, h.config());
        b.putLong(h.timestamp());
        if (version >= 2) {
          // Version 1 ends here.
          putHeartbeatV2(b, h);
        }
      } else if (body instanceof Wire.Exports x) {
        b.putLong(x.version());
        b.putShort((short) x.entries().size());
        for (var entry : x.entries().entrySet()) {
          putString(b, entry.getKey());
          putLongString(b, entry.getValue());
        }
      } else if (body instanceof ConfigDoc d) {
        GroupConfig c = d.config();
        b.putLong(c.version());
        b.putLong(c.term().value());
        b.put(code(FORMAT, c.format()));
        putString(b, c.digest());
        putLongString(b, c.document());
      } else if (body instanceof Reelect r) {
        b.putLong(r.term());
      } else if (body instanceof Depart d) {
        putString(b, d.member().value());
      } else if (body instanceof Election el) {
        b.putLong(el.term());
      } else if (body instanceof Answer a) {
        b.putLong(a.term());
      } else if (body instanceof Coordinator c) {
        b.putLong(c.term());
        putConfig(b, c.config());
        putVoters(b, c.voters());
        b.putLong(c.timestamp());
      } else if (body instanceof Ack a) {
        b.putLong(a.term());
        b.put((byte) (a.accepted() ? 1 : 0));
        b.putLong(a.highestTerm());
        putConfig(b, a.config());
        b.putLong(a.echo());
      } else if (body instanceof ConfigChange c) {
        b.putLong(c.term());
        putConfig(b, c.config());
        putVoters(b, c.voters());
      }
    } catch (java.nio.BufferOverflowException tooBig) {
      throw new IllegalArgumentException(
          "message for " + e.group() + " exceeds " + MAX_MESSAGE_BYTES + " bytes", tooBig);
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  /** Decodes a message, or says why the bytes are not one. */
  public static Envelope decode(byte[] bytes) throws MalformedMessageException {
    if (bytes.length > MAX_MESSAGE_BYTES) {
      throw new MalformedMessageException("message of " + bytes.length + " bytes is too large");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    try {
      if (b.remaining() < 4 || b.get() != MAGIC_0 || b.get() != MAGIC_1) {
        throw new MalformedMessageException("not a habitat message (bad magic)");
      }
      int version = b.get() & 0xff;
      if (version < OLDEST_READABLE_VERSION || version > VERSION) {
        throw new MalformedMessageException(
            "protocol version "
                + version
                + " is not readable here (reads "
                + OLDEST_READABLE_VERSION
                + " to "
                + VERSION
                + ")");
      }
      int type = b.get() & 0xff;
      if (version < 2 && type > T_CONFIG) {
        throw new MalformedMessageException(
            "message type " + type + " does not exist in protocol version " + version);
      }
      ServiceGroup group = parseGroup(getString(b));
      MemberId sender = parseMember(getString(b));
      long incarnation = b.getLong();
      Body body =
          switch (type) {
            case T_HEARTBEAT -> {
              long suitability = nonNegative(b.getLong(), "suitability");
              int flags = b.get();
              if ((flags & ~3) != 0) {
                throw new MalformedMessageException("unknown heartbeat flags " + flags);
              }
              long accepted = nonNegative(b.getLong(), "term");
              long highest = nonNegative(b.getLong(), "term");
              String leader = getString(b);
              ConfigId config = getConfig(b);
              long timestamp = b.getLong();
              if (version < 2) {
                // A member of version 1 says nothing of health, exports, initialisation or
                // group config; its topology shows in whether it takes part in elections.
                MemberId named = leader.isEmpty() ? null : parseMember(leader);
                boolean leading = (flags & 2) != 0;
                yield new Heartbeat(
                    suitability,
                    (flags & 1) != 0,
                    accepted,
                    highest,
                    named,
                    leading,
                    config,
                    timestamp,
                    Health.UNKNOWN,
                    leading || accepted > 0 || named != null
                        ? Topology.LEADER
                        : Topology.STANDALONE,
                    0,
                    0,
                    "",
                    DocId.NONE);
              }
              Health health = HEALTH[ordinal(b.get(), HEALTH.length, "health")];
              Topology topology = TOPOLOGY[ordinal(b.get(), TOPOLOGY.length, "topology")];
              long exportsVersion = nonNegative(b.getLong(), "exports version");
              long initialisedTerm = nonNegative(b.getLong(), "initialised term");
              String initError = getString(b);
              DocId doc =
                  new DocId(
                      nonNegative(b.getLong(), "config version"),
                      nonNegative(b.getLong(), "config term"),
                      b.getLong());
              yield new Heartbeat(
                  suitability,
                  (flags & 1) != 0,
                  accepted,
                  highest,
                  leader.isEmpty() ? null : parseMember(leader),
                  (flags & 2) != 0,
                  config,
                  timestamp,
                  health,
                  topology,
                  exportsVersion,
                  initialisedTerm,
                  initError,
                  doc);
            }
            case T_EXPORTS_REQUEST -> new ExportsRequest();
            case T_EXPORTS -> {
              long v = nonNegative(b.getLong(), "exports version");
              int n = b.getShort() & 0xffff;
              java.util.Map<String, String> entries = new java.util.TreeMap<>();
              for (int i = 0; i < n; i++) {
                entries.put(
                    getString(b), getLongString(b, io.habitat.core.Exports.MAX_VALUE_CHARS * 4));
              }
              try {
                yield new Wire.Exports(v, io.habitat.core.Exports.validate(entries));
              } catch (IllegalArgumentException bad) {
                throw new MalformedMessageException("invalid exports: " + bad.getMessage());
              }
            }
            case T_CONFIG_DOC -> {
              long v = b.getLong();
              long term = nonNegative(b.getLong(), "config term");
              ConfigFormat format = FORMAT[ordinal(b.get(), FORMAT.length, "config format")];
              String digest = getString(b);
              String document = getLongString(b, GroupConfig.MAX_BYTES);
              if (v < 1 || !GroupConfigs.sha256(document).equals(digest)) {
                throw new MalformedMessageException("config document does not match its digest");
              }
              yield new ConfigDoc(new GroupConfig(v, Term.of(term), digest, format, document));
            }
            case T_REELECT -> new Reelect(nonNegative(b.getLong(), "term"));
            case T_DEPART -> new Depart(parseMember(getString(b)));
            case T_LEAVE -> new Leave();
            case T_ELECTION -> new Election(nonNegative(b.getLong(), "term"));
            case T_ANSWER -> new Answer(nonNegative(b.getLong(), "term"));
            case T_COORDINATOR ->
                new Coordinator(
                    nonNegative(b.getLong(), "term"), getConfig(b), getVoters(b), b.getLong());
            case T_ACK -> {
              long term = nonNegative(b.getLong(), "term");
              int accepted = b.get();
              if (accepted != 0 && accepted != 1) {
                throw new MalformedMessageException("ack flag must be 0 or 1, was " + accepted);
              }
              yield new Ack(
                  term, accepted == 1, nonNegative(b.getLong(), "term"), getConfig(b), b.getLong());
            }
            case T_CONFIG ->
                new ConfigChange(nonNegative(b.getLong(), "term"), getConfig(b), getVoters(b));
            default -> throw new MalformedMessageException("unknown message type " + type);
          };
      if (b.hasRemaining()) {
        throw new MalformedMessageException(b.remaining() + " trailing bytes");
      }
      return new Envelope(group, sender, incarnation, body);
    } catch (BufferUnderflowException truncated) {
      throw new MalformedMessageException("truncated message");
    }
  }

  private static int type(Body body) {
    if (body instanceof Heartbeat) {
      return T_HEARTBEAT;
    } else if (body instanceof Leave) {
      return T_LEAVE;
    } else if (body instanceof Election) {
      return T_ELECTION;
    } else if (body instanceof Answer) {
      return T_ANSWER;
    } else if (body instanceof Coordinator) {
      return T_COORDINATOR;
    } else if (body instanceof Ack) {
      return T_ACK;
    } else if (body instanceof ConfigChange) {
      return T_CONFIG;
    } else if (body instanceof ExportsRequest) {
      return T_EXPORTS_REQUEST;
    } else if (body instanceof Wire.Exports) {
      return T_EXPORTS;
    } else if (body instanceof ConfigDoc) {
      return T_CONFIG_DOC;
    } else if (body instanceof Reelect) {
      return T_REELECT;
    } else {
      return T_DEPART;
    }
  }

  private static void putHeartbeatV2(ByteBuffer b, Heartbeat h) {
    b.put(code(HEALTH, h.health()));
    b.put(code(TOPOLOGY, h.topology()));
    b.putLong(h.exportsVersion());
    b.putLong(h.initialisedTerm());
    putString(b, h.initError());
    b.putLong(h.groupConfig().version());
    b.putLong(h.groupConfig().term());
    b.putLong(h.groupConfig().digest());
  }

  private static <T> byte code(T[] values, T value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == value) {
        return (byte) i;
      }
    }
    throw new IllegalArgumentException("no wire code for " + value);
  }

  private static int ordinal(byte v, int count, String what) throws MalformedMessageException {
    int i = v & 0xff;
    if (i >= count) {
      throw new MalformedMessageException("unknown " + what + " " + i);
    }
    return i;
  }

  private static void putLongString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.putInt(bytes.length).put(bytes);
  }

  private static String getLongString(ByteBuffer b, int maxBytes) throws MalformedMessageException {
    int len = b.getInt();
    if (len < 0 || len > maxBytes || len > b.remaining()) {
      throw new MalformedMessageException("text length " + len + " out of bounds");
    }
    ByteBuffer slice = b.slice().limit(len);
    b.position(b.position() + len);
    try {
      return UTF8.get().reset().decode(slice).toString();
    } catch (CharacterCodingException bad) {
      throw new MalformedMessageException("invalid UTF-8 in a text");
    }
  }

  private static long nonNegative(long v, String what) throws MalformedMessageException {
    if (v < 0) {
      throw new MalformedMessageException(what + " is negative: " + v);
    }
    return v;
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_STRING_BYTES) {
      throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long");
    }
    b.putShort((short) bytes.length).put(bytes);
  }

  private static String getString(ByteBuffer b) throws MalformedMessageException {
    int len = b.getShort() & 0xffff;
    if (len > MAX_STRING_BYTES || len > b.remaining()) {
      throw new MalformedMessageException("string length " + len + " out of bounds");
    }
    ByteBuffer slice = b.slice().limit(len);
    b.position(b.position() + len);
    try {
      return UTF8.get().reset().decode(slice).toString();
    } catch (CharacterCodingException bad) {
      throw new MalformedMessageException("invalid UTF-8 in a string");
    }
  }

  private static void putConfig(ByteBuffer b, ConfigId c) {
    b.putLong(c.term()).putLong(c.version());
  }

  private static ConfigId getConfig(ByteBuffer b) throws MalformedMessageException {
    return new ConfigId(
        nonNegative(b.getLong(), "config term"), nonNegative(b.getLong(), "config version"));
  }

  private static void putVoters(ByteBuffer b, List<MemberId> voters) {
    if (voters.size() > MAX_VOTERS) {
      throw new IllegalArgumentException(
          voters.size() + " voters exceed the limit of " + MAX_VOTERS);
    }
    b.putShort((short) voters.size());
    for (MemberId m : voters) {
      putString(b, m.value());
    }
  }

  private static List<MemberId> getVoters(ByteBuffer b) throws MalformedMessageException {
    int n = b.getShort() & 0xffff;
    if (n > MAX_VOTERS) {
      throw new MalformedMessageException(n + " voters exceed the limit of " + MAX_VOTERS);
    }
    List<MemberId> voters = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      voters.add(parseMember(getString(b)));
    }
    return voters;
  }

  private static ServiceGroup parseGroup(String s) throws MalformedMessageException {
    ServiceGroup cached = GROUPS.get(s);
    if (cached != null) {
      return cached;
    }
    try {
      ServiceGroup g = ServiceGroup.parse(s);
      if (!g.toString().equals(s)) {
        throw new MalformedMessageException("service group '" + s + "' is not in canonical form");
      }
      if (GROUPS.size() < NAME_CACHE_SIZE) {
        GROUPS.put(s, g);
      }
      return g;
    } catch (IllegalArgumentException bad) {
      throw new MalformedMessageException("invalid service group: " + bad.getMessage());
    }
  }

  private static MemberId parseMember(String s) throws MalformedMessageException {
    MemberId cached = MEMBERS.get(s);
    if (cached != null) {
      return cached;
    }
    try {
      MemberId m = new MemberId(s);
      if (MEMBERS.size() < NAME_CACHE_SIZE) {
        MEMBERS.put(s, m);
      }
      return m;
    } catch (IllegalArgumentException bad) {
      throw new MalformedMessageException("invalid member id: " + bad.getMessage());
    }
  }
}
