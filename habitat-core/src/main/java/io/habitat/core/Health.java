package io.habitat.core;

import java.util.Locale;

/**
 * The result of a member's health check, as in Habitat. Only {@link #CRITICAL} moves leadership: a
 * critical member may not lead, and a leader that stays critical abdicates. {@link #WARNING} and
 * {@link #UNKNOWN} are reported in the census and change nothing else.
 */
public enum Health {
  /** Healthy. */
  OK,
  /** Degraded but serving. */
  WARNING,
  /** Not serving: not eligible to lead. */
  CRITICAL,
  /** Not known yet, or the check itself failed or hung. */
  UNKNOWN;

  /** The lower-case name used in JSON and logs. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
