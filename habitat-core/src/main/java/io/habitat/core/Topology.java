package io.habitat.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the members of a service group relate to each other. */
public enum Topology {
  /** Members are independent; they still share census, exports and group config. No election. */
  STANDALONE,
  /** One leader, the rest followers; followers are reconfigured on every leadership change. */
  LEADER,
  /**
   * As {@link #LEADER}, and no follower completes start-up until the elected leader has run its
   * init hook and reports healthy.
   */
  INITIALIZER;

  /** Whether the group elects a leader. */
  public boolean electsLeader() {
    return this != STANDALONE;
  }

  /** The lower-case name used in configuration files and on the wire. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a topology name, ignoring case.
   *
   * @throws IllegalArgumentException listing the allowed names
   */
  public static Topology parse(String text) {
    for (Topology t : values()) {
      if (t.name().equalsIgnoreCase(text.trim())) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown topology '"
            + text
            + "': expected one of "
            + Arrays.stream(values()).map(Topology::configName).collect(Collectors.joining(", ")));
  }
}
