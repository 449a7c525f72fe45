package io.habitat.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/** Protocol messages sent and received, by type. Thread-safe. */
public final class MessageCounters {
  private static final String[] TYPES = WireCodec.typeNames();
  private final AtomicLongArray sent = new AtomicLongArray(TYPES.length);
  private final AtomicLongArray received = new AtomicLongArray(TYPES.length);

  void sent(Wire.Body body, int copies) {
    sent.addAndGet(index(body), copies);
  }

  void received(Wire.Body body) {
    received.incrementAndGet(index(body));
  }

  /** The type names, in counter order. */
  public static String[] types() {
    return TYPES.clone();
  }

  /** Messages of the type sent (a send to all counts once per recipient). */
  public long sent(String type) {
    return sent.get(indexOf(type));
  }

  /** Messages of the type received. */
  public long received(String type) {
    return received.get(indexOf(type));
  }

  private static int index(Wire.Body body) {
    return indexOf(WireCodec.typeName(body));
  }

  private static int indexOf(String type) {
    for (int i = 0; i < TYPES.length; i++) {
      if (TYPES[i].equals(type)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown message type " + type);
  }
}
