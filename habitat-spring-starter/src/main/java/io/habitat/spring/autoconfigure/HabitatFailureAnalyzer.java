package io.habitat.spring.autoconfigure;

import io.habitat.core.HabitatException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns habitat's start-up failures into Spring Boot's failure report: a bad {@code habitat.*}
 * property ({@link InvalidHabitatPropertyException}), a service that could not start ({@link
 * HabitatStartupException}), or any other {@link HabitatException} (whose message says what to do).
 * Registered in {@code META-INF/spring.factories}.
 */
final class HabitatFailureAnalyzer implements FailureAnalyzer {

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    InvalidHabitatPropertyException property =
        findCause(failure, InvalidHabitatPropertyException.class);
    if (property != null) {
      String value = property.getValue();
      return new FailureAnalysis(
          "Habitat property '"
              + property.getProperty()
              + "'"
              + (value == null ? "" : " = '" + value + "'")
              + " is not usable: "
              + property.getReason(),
          property.getAction(),
          property);
    }
    HabitatStartupException startup = findCause(failure, HabitatStartupException.class);
    if (startup != null) {
      return new FailureAnalysis(
          String.valueOf(startup.getMessage()), startup.getAction(), startup);
    }
    HabitatException habitat = findCause(failure, HabitatException.class);
    if (habitat != null) {
      return new FailureAnalysis(
          "Habitat failed: " + habitat.getMessage(),
          "Do what the message says; docs/spring-boot.md lists the habitat.* properties.",
          habitat);
    }
    return null;
  }

  private static <E extends Throwable> @Nullable E findCause(
      @Nullable Throwable failure, Class<E> type) {
    Throwable t = failure;
    while (t != null) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      t = t.getCause();
    }
    return null;
  }
}
