package io.habitat.core.spi;

/**
 * The ring address of one supervisor's transport connection: opaque to the protocol, unique per
 * connection (a restarted supervisor gets a new one), ordered by its text so that any choice made
 * from a set of addresses is deterministic.
 *
 * @param id the transport's own string form; it must round-trip through the transport
 */
public record RingAddress(String id) implements Comparable<RingAddress> {

  /** Validates the id. */
  public RingAddress {
    if (id == null || id.isEmpty() || id.length() > 255) {
      throw new IllegalArgumentException(
          "ring address must be 1 to 255 characters, was " + (id == null ? "null" : id.length()));
    }
  }

  @Override
  public int compareTo(RingAddress other) {
    return id.compareTo(other.id);
  }

  @Override
  public String toString() {
    return id;
  }
}
