package io.habitat.spring.autoconfigure;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code habitat.*} property (or a bean standing in for one) has a value habitat does not accept.
 * Thrown while the habitat beans are built, so start-up fails before anything joins a ring; Spring
 * Boot's failure report prints the property, what was wrong and what to do.
 *
 * <p>The value of a secret property (the ring key and passphrase) is never part of the message.
 */
public class InvalidHabitatPropertyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final @Nullable String value;
  private final String reason;
  private final String action;

  /**
   * An invalid property.
   *
   * @param property the property's name, e.g. {@code habitat.service.topology}
   * @param value the value as configured, or null for a secret or an absent value
   * @param reason what was wrong
   * @param action what to do about it
   * @param cause the library's own exception, if there was one
   */
  public InvalidHabitatPropertyException(
      String property,
      @Nullable String value,
      String reason,
      String action,
      @Nullable Throwable cause) {
    super(message(property, value, reason), cause);
    this.property = Objects.requireNonNull(property, "property");
    this.value = value;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.action = Objects.requireNonNull(action, "action");
  }

  private static String message(String property, @Nullable String value, String reason) {
    return value == null
        ? "Invalid habitat property '" + property + "': " + reason
        : "Invalid habitat property '" + property + "' = '" + value + "': " + reason;
  }

  /** The property's name. */
  public String getProperty() {
    return property;
  }

  /** The value as configured, or null for a secret or an absent value. */
  public @Nullable String getValue() {
    return value;
  }

  /** What was wrong. */
  public String getReason() {
    return reason;
  }

  /** What to do about it. */
  public String getAction() {
    return action;
  }
}
