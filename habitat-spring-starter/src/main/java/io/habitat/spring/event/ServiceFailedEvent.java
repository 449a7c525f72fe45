package io.habitat.spring.event;

import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import java.util.Objects;

/**
 * The service stopped on an error it cannot recover from ({@link
 * io.habitat.core.ServiceListener#failed}): for example its member id is used by another live
 * member, or an operator departed it. The member has left its group; with the readiness gate on,
 * the application's readiness turns to {@code REFUSING_TRAFFIC}. The message says what to do. See
 * {@link HabitatApplicationEvent} for the thread.
 */
public final class ServiceFailedEvent extends HabitatApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final transient HabitatException error;

  /** The event for the given service, member and error. */
  public ServiceFailedEvent(Service service, MemberId member, HabitatException error) {
    super(service, member);
    this.error = Objects.requireNonNull(error, "error");
  }

  /** Why the service stopped, and what to do. */
  public HabitatException getError() {
    return error;
  }
}
