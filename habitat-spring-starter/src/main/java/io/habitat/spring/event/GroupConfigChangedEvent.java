package io.habitat.spring.event;

import io.habitat.core.GroupConfig;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import java.util.Objects;

/**
 * A newer group config reached this member: applied here, spread from another member, or found in
 * the data directory at start-up ({@link io.habitat.core.GroupConfigHook}). Published after the
 * application's own {@code GroupConfigHook} bean, if any, has returned. The versions a member sees
 * only grow. See {@link HabitatApplicationEvent} for the thread.
 *
 * <p>Published only for a service the auto-configuration registers.
 */
public final class GroupConfigChangedEvent extends HabitatApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final transient GroupConfig config;

  /** The event for the given service, member and config. */
  public GroupConfigChangedEvent(Service service, MemberId member, GroupConfig config) {
    super(service, member);
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * The newest document: parse {@link GroupConfig#document()} in its {@link GroupConfig#format()}.
   */
  public GroupConfig getConfig() {
    return config;
  }
}
