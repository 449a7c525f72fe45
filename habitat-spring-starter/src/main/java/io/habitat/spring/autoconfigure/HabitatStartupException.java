package io.habitat.spring.autoconfigure;

import io.habitat.core.HabitatException;

/**
 * The application's habitat service could not start: the ring or the data directory could not be
 * used, or, with {@code habitat.startup.wait-for-ready=true}, the service did not finish start-up
 * within {@code habitat.startup.timeout}. Thrown from the supervisor's lifecycle start, so the
 * context refresh fails and Spring Boot's failure report prints the message and what to do.
 */
public class HabitatStartupException extends HabitatException {
  private static final long serialVersionUID = 1L;

  private final String action;

  /**
   * A start-up failure.
   *
   * @param message what went wrong
   * @param action what to do about it
   * @param cause the library's own exception
   */
  public HabitatStartupException(String message, String action, Throwable cause) {
    super(message, cause);
    this.action = action;
  }

  /** What to do about it. */
  public String getAction() {
    return action;
  }
}
