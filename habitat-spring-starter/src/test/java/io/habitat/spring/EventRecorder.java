package io.habitat.spring;

import io.habitat.spring.event.HabitatApplicationEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationListener;

/** Records the habitat events of one context and the threads they arrived on. */
public final class EventRecorder implements ApplicationListener<HabitatApplicationEvent> {

  private final List<HabitatApplicationEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> threads = new CopyOnWriteArrayList<>();

  @Override
  public void onApplicationEvent(HabitatApplicationEvent event) {
    events.add(event);
    threads.add(Thread.currentThread().getName());
  }

  /** The events of one type, in arrival order. */
  public <E extends HabitatApplicationEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Every event, in arrival order. */
  public List<HabitatApplicationEvent> all() {
    return List.copyOf(events);
  }

  /** The names of the threads events arrived on. */
  public List<String> threads() {
    return List.copyOf(threads);
  }
}
