package io.habitat.jgroups.internal;

import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.ViewId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;
import org.jgroups.MergeView;
import org.jgroups.View;
import org.jgroups.util.UUID;

/**
 * Maps JGroups addresses to ring addresses and back. A ring address's id is the JGroups UUID in its
 * long string form ({@link UUID#toStringLong()}), so it round-trips through {@link
 * UUID#fromString}. Both directions are cached; the cache keeps the members of the latest view and
 * is refilled on demand. Thread-safe.
 */
public final class AddressBook {

  private final ConcurrentHashMap<Address, RingAddress> toRing = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<RingAddress, Address> toJGroups = new ConcurrentHashMap<>();

  /** The ring address of a JGroups member address. */
  public RingAddress ring(Address address) {
    RingAddress known = toRing.get(address);
    if (known != null) {
      return known;
    }
    if (!(address instanceof UUID uuid)) {
      throw new IllegalArgumentException(
          "expected a JGroups UUID address, got "
              + address.getClass().getName()
              + "; Habitat needs a stack whose members have UUID addresses");
    }
    RingAddress ring = new RingAddress(uuid.toStringLong());
    toRing.put(address, ring);
    toJGroups.putIfAbsent(ring, address);
    return ring;
  }

  /**
   * The JGroups address of a ring address.
   *
   * @throws IllegalArgumentException if the id is not a JGroups UUID in long form
   */
  public Address jgroups(RingAddress address) {
    Address known = toJGroups.get(address);
    if (known != null) {
      return known;
    }
    UUID uuid;
    try {
      uuid = UUID.fromString(address.id());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "ring address '"
              + address
              + "' is not a JGroups UUID; use addresses from this transport's views",
          e);
    }
    toJGroups.put(address, uuid);
    return uuid;
  }

  /** The ring view of a JGroups view; a {@link MergeView} becomes a view with subgroups. */
  public RingView view(View view) {
    org.jgroups.ViewId id = view.getViewId();
    ViewId ringId = new ViewId(ring(id.getCreator()), id.getId());
    List<RingAddress> members = members(view.getMembers());
    if (view instanceof MergeView merge) {
      List<List<RingAddress>> subgroups =
          merge.getSubgroups().stream().map(v -> members(v.getMembers())).toList();
      return new RingView(ringId, members, subgroups);
    }
    return RingView.of(ringId, members);
  }

  /** Forgets every address that is not a member of the view. */
  public void retain(View view) {
    Set<Address> keep = new HashSet<>(view.getMembers());
    toRing.keySet().retainAll(keep);
    toJGroups.values().retainAll(keep);
  }

  private List<RingAddress> members(List<Address> addresses) {
    return addresses.stream().map(this::ring).toList();
  }
}
