package io.habitat.test.network;

/**
 * Counters of an {@link InMemoryNetwork} since it was made. One message to one addressee counts
 * once: a {@code sendToAll} to three others counts three.
 *
 * @param sent messages handed to the network, one per addressee
 * @param delivered messages handed to a receiver (duplicates included)
 * @param dropped messages not delivered: lost by the loss fault, across a partition, or to a member
 *     that was gone or closed by delivery time
 * @param duplicated extra copies made by the duplication fault
 */
public record NetworkStats(long sent, long delivered, long dropped, long duplicated) {

  /** Messages sent or duplicated and neither delivered nor dropped yet. */
  public long inFlight() {
    return sent + duplicated - delivered - dropped;
  }
}
