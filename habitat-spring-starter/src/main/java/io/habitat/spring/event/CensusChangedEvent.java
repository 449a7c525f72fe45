package io.habitat.spring.event;

import io.habitat.core.Census;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import java.util.Objects;

/**
 * This member's view of its group changed: a member joined, left, turned suspect or changed health,
 * an election started or settled, a leader changed ({@link
 * io.habitat.core.ServiceListener#censusChanged}). At most one per protocol step, and frequent
 * while a group forms (heartbeats do not cause them; changes do). See {@link
 * HabitatApplicationEvent} for the thread.
 */
public final class CensusChangedEvent extends HabitatApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final transient Census census;

  /** The event for the given service, member and census. */
  public CensusChangedEvent(Service service, MemberId member, Census census) {
    super(service, member);
    this.census = Objects.requireNonNull(census, "census");
  }

  /** The new census: an immutable snapshot. */
  public Census getCensus() {
    return census;
  }
}
