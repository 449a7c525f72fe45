package io.habitat.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * One membership view of the ring: who the transport believes is connected. A view says nothing
 * about why a member is missing (crash and graceful leave look the same) and nothing about
 * suspicion; the protocol adds both on top.
 *
 * <p>After a partition heals, the transport delivers a merge view: {@link #subgroups()} then holds
 * the views that were merged (each as its member list), and {@link #isMerge()} is true.
 *
 * @param id the view's id
 * @param members the members in the transport's order (the first is the coordinator); never empty
 * @param subgroups for a merge view, the member lists of the merged views; empty otherwise
 */
public record RingView(ViewId id, List<RingAddress> members, List<List<RingAddress>> subgroups) {

  /** Copies the lists and checks the view is not empty. */
  public RingView {
    Objects.requireNonNull(id, "id");
    members = List.copyOf(members);
    subgroups = subgroups.stream().map(List::copyOf).toList();
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a view has at least one member");
    }
  }

  /** A view that is not a merge. */
  public static RingView of(ViewId id, List<RingAddress> members) {
    return new RingView(id, members, List.of());
  }

  /** Whether this view merged two or more partitions. */
  public boolean isMerge() {
    return !subgroups.isEmpty();
  }

  /** Whether the address is a member of this view. */
  public boolean contains(RingAddress address) {
    return members.contains(address);
  }

  /** The first member. */
  public RingAddress coordinator() {
    return members.get(0);
  }
}
