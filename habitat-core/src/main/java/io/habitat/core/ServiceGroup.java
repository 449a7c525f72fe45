package io.habitat.core;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A service group: {@code service.group}, optionally {@code @organization}, as in Habitat ({@code
 * redis.default}, {@code postgres.financialdb@acme}).
 *
 * <p>Each of the three names is 1 to 63 characters of ASCII letters, digits, {@code -} and {@code
 * _}, starting with a letter or a digit, so a name fits a DNS label and a file name. When no group
 * is named the group is {@code default}. Names are case-sensitive. Instances are immutable and safe
 * to share between threads.
 *
 * @param service the service name (for example {@code redis})
 * @param group the group name, {@code default} when none is named
 * @param organization the organization, or {@code null} when none is named
 */
public record ServiceGroup(String service, String group, @Nullable String organization) {

  /** The group name used when none is given. */
  public static final String DEFAULT_GROUP = "default";

  /** The longest name allowed for each of service, group and organization. */
  public static final int MAX_NAME_LENGTH = 63;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  /** Validates the three names; see the class comment for the rules. */
  public ServiceGroup {
    checkName("service", service);
    checkName("group", group);
    if (organization != null) {
      checkName("organization", organization);
    }
  }

  /** The service in group {@code default}, without an organization. */
  public static ServiceGroup of(String service) {
    return new ServiceGroup(service, DEFAULT_GROUP, null);
  }

  /** The service in the given group, without an organization. */
  public static ServiceGroup of(String service, String group) {
    return new ServiceGroup(service, group, null);
  }

  /**
   * Parses {@code service}, {@code service.group} or {@code service.group@organization}.
   *
   * @throws IllegalArgumentException naming the part that is wrong and the rule it breaks
   */
  public static ServiceGroup parse(String text) {
    Objects.requireNonNull(text, "service group text");
    String rest = text;
    String organization = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      organization = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (organization.isEmpty()) {
        throw new IllegalArgumentException(
            "service group '"
                + text
                + "' ends with '@': name the organization after it or drop the '@'");
      }
    }
    int dot = rest.indexOf('.');
    if (dot < 0) {
      return new ServiceGroup(rest, DEFAULT_GROUP, organization);
    }
    if (rest.indexOf('.', dot + 1) >= 0) {
      throw new IllegalArgumentException(
          "service group '"
              + text
              + "' has more than one '.': expected service.group[@organization], for example"
              + " redis.default");
    }
    return new ServiceGroup(rest.substring(0, dot), rest.substring(dot + 1), organization);
  }

  /** {@code service.group} or {@code service.group@organization}, the form {@link #parse} reads. */
  @Override
  public String toString() {
    return organization == null
        ? service + "." + group
        : service + "." + group + "@" + organization;
  }

  private static void checkName(String what, @Nullable String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " name is missing (null)");
    }
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " name '"
              + value
              + "' is not allowed: use 1 to "
              + MAX_NAME_LENGTH
              + " ASCII letters, digits, '-' or '_', starting with a letter or a digit");
    }
  }
}
