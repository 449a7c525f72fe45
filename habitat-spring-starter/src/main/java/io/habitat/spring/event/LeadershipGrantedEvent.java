package io.habitat.spring.event;

import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.Term;
import java.util.Objects;

/**
 * This member became the leader of its group for one term ({@link
 * io.habitat.core.ServiceListener#elected}). A {@link LeadershipRevokedEvent} with the same {@link
 * #getLeadership() leadership} follows when the term's leadership ends, also when the application
 * shuts down.
 *
 * <p>Leadership may already have ended when a listener sees this: check {@link
 * LeaderContext#isLeader()} before each action that needs it, fence writes with {@link #getTerm()},
 * and stop long-running work when {@link LeaderContext#revocation()} completes. See {@link
 * HabitatApplicationEvent} for the thread.
 */
public final class LeadershipGrantedEvent extends HabitatApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final transient LeaderContext leadership;

  /** The event for the given service, member and leadership. */
  public LeadershipGrantedEvent(Service service, MemberId member, LeaderContext leadership) {
    super(service, member);
    this.leadership = Objects.requireNonNull(leadership, "leadership");
  }

  /** The leadership of the term: the same object the revoked event carries. */
  public LeaderContext getLeadership() {
    return leadership;
  }

  /** The term: the fencing token to hand to resources that check it. */
  public Term getTerm() {
    return leadership.term();
  }
}
