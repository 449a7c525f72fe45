package io.habitat.spring.event;

import io.habitat.core.Census;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import java.util.Objects;

/**
 * This member finished start-up ({@link Service#ready()}): it joined its group; in the initializer
 * topology the group is initialised; every strict bind is satisfied. Published once. With the
 * readiness gate on, the application's readiness turns to {@code ACCEPTING_TRAFFIC} at this moment
 * (if Spring Boot had declared the application ready already). See {@link HabitatApplicationEvent}
 * for the thread.
 */
public final class ServiceReadyEvent extends HabitatApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final transient Census census;

  /** The event for the given service, member and census. */
  public ServiceReadyEvent(Service service, MemberId member, Census census) {
    super(service, member);
    this.census = Objects.requireNonNull(census, "census");
  }

  /** The census at the moment start-up finished. */
  public Census getCensus() {
    return census;
  }
}
