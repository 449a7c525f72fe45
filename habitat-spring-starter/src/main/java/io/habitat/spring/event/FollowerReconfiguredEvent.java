package io.habitat.spring.event;

import io.habitat.core.LeaderInfo;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.Term;
import java.util.Objects;

/**
 * This member, a follower, was reconfigured for a new leader, or for new exports of its leader
 * (Habitat's reconfigure hook, {@link io.habitat.core.ReconfigureHook}). Published after the
 * application's own {@code ReconfigureHook} bean, if any, has returned. The leader may have changed
 * again since; a newer event follows then. See {@link HabitatApplicationEvent} for the thread.
 *
 * <p>Published only for a service the auto-configuration registers (not for a {@code Service} bean
 * of the application's own, whose hooks it does not see).
 */
public final class FollowerReconfiguredEvent extends HabitatApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final transient LeaderInfo leader;

  /** The event for the given service, member and leader. */
  public FollowerReconfiguredEvent(Service service, MemberId member, LeaderInfo leader) {
    super(service, member);
    this.leader = Objects.requireNonNull(leader, "leader");
  }

  /** The leader this member now follows: its id, address, exports and term. */
  public LeaderInfo getLeader() {
    return leader;
  }

  /** The leader's term. */
  public Term getTerm() {
    return leader.term();
  }
}
