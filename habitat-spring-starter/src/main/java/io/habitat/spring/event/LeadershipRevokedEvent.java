package io.habitat.spring.event;

import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.Term;
import java.util.Objects;

/**
 * This member no longer leads its group in the term of a former {@link LeadershipGrantedEvent}
 * ({@link io.habitat.core.ServiceListener#revoked}): it lost quorum, yielded, turned critical, saw
 * a higher term, or the application is shutting down. Paired with the granted event of the same
 * term. See {@link HabitatApplicationEvent} for the thread.
 *
 * <p>Work the former leader still has in flight is not stopped by this event: stop it here, and
 * rely on resources that check the term to refuse what slips through.
 */
public final class LeadershipRevokedEvent extends HabitatApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final transient LeaderContext leadership;

  /** The event for the given service, member and leadership. */
  public LeadershipRevokedEvent(Service service, MemberId member, LeaderContext leadership) {
    super(service, member);
    this.leadership = Objects.requireNonNull(leadership, "leadership");
  }

  /** The leadership that ended: the same object the granted event carried. */
  public LeaderContext getLeadership() {
    return leadership;
  }

  /** The term that ended. */
  public Term getTerm() {
    return leadership.term();
  }
}
