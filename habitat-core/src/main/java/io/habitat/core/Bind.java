package io.habitat.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A service's dependency on another service group (Habitat's {@code --bind name:service.group}).
 *
 * @param name the name the application uses for it, e.g. {@code database}: 1-63 characters of
 *     {@code [a-z0-9_-]}
 * @param group the group it depends on
 * @param strict whether start-up ({@link Service#ready()}) waits until the group has a leader
 *     (leader and initializer topologies) or any live member (standalone)
 */
public record Bind(String name, ServiceGroup group, boolean strict) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,63}");

  /** Checks the name. */
  public Bind {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(group, "group");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "bind name '"
              + name
              + "' is not valid: use 1-63 characters of lower-case letters, digits, '-' or '_'");
    }
  }

  /** A bind that does not hold up start-up. */
  public static Bind of(String name, ServiceGroup group) {
    return new Bind(name, group, false);
  }

  /** A bind that holds up start-up until the group can serve. */
  public static Bind strict(String name, ServiceGroup group) {
    return new Bind(name, group, true);
  }
}
