package io.habitat.core;

import java.util.Locale;

/** Where a member's group stands in its election, as that member sees it. */
public enum ElectionStatus {
  /** The group does not elect (standalone). */
  NONE,
  /** Waiting for enough members (the bootstrap size) or a majority of voters to be alive. */
  WAITING,
  /** A claim is under way, or the member waits for a higher-ranked member to claim. */
  RUNNING,
  /** A leader is known. */
  SETTLED;

  /** The lower-case name used in JSON and logs. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
