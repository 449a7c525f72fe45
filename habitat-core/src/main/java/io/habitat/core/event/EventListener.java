package io.habitat.core.event;

/**
 * Receives a supervisor's {@link HabitatEvent}s. Called on the supervisor's event thread, one event
 * at a time, in order, never on the protocol thread; a listener that throws is logged and the next
 * event still arrives. Keep it short: a slow listener delays the events behind it (never the
 * protocol).
 */
@FunctionalInterface
public interface EventListener {

  /** Handles one event. */
  void onEvent(HabitatEvent event);
}
