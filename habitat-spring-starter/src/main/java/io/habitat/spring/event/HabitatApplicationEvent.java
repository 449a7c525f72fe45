package io.habitat.spring.event;

import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.ServiceGroup;
import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * Something that happened to the application's habitat service, published as a Spring application
 * event by the auto-configuration; receive it with {@code @EventListener}.
 *
 * <p><b>Thread and order.</b> Events are published one at a time, in the order habitat reported
 * them, on one thread of their own named {@code habitat-events} (never on habitat's protocol thread
 * and never on the service's hook thread), so a slow listener delays only the events behind it,
 * never an election or a health check. They describe the past: by the time a listener sees {@link
 * LeadershipGrantedEvent}, leadership may have ended again ({@link LeadershipRevokedEvent}
 * follows). Listeners that throw are handled as Spring handles listener errors; the next event is
 * still published. When the context closes, events produced while the supervisor leaves its group
 * (the leader's {@link LeadershipRevokedEvent} among them) are published before the supervisor's
 * lifecycle stop returns.
 *
 * <p>Immutable. The source is the {@link Service}.
 */
public abstract class HabitatApplicationEvent extends ApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final transient ServiceGroup group;
  private final transient MemberId member;

  /**
   * An event of the given service.
   *
   * @param service the service it happened to
   * @param member the member id of that service
   */
  protected HabitatApplicationEvent(Service service, MemberId member) {
    super(Objects.requireNonNull(service, "service"));
    this.group = service.group();
    this.member = Objects.requireNonNull(member, "member");
  }

  /** The service it happened to. */
  public Service getService() {
    return (Service) getSource();
  }

  /** The service group. */
  public ServiceGroup getGroup() {
    return group;
  }

  /** This member's id. */
  public MemberId getMember() {
    return member;
  }
}
