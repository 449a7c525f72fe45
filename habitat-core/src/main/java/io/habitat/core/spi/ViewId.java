package io.habitat.core.spi;

/**
 * Identifies one membership view of the ring: the member that installed it and a number that grows
 * with each view that member installs.
 *
 * @param creator the member that installed the view (for JGroups, the coordinator)
 * @param sequence grows with each view; compared only between views of the same creator
 */
public record ViewId(RingAddress creator, long sequence) {

  @Override
  public String toString() {
    return creator + "|" + sequence;
  }
}
