package io.habitat.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats a group config document may be written in. */
public enum ConfigFormat {
  /** JSON: one object at the top. */
  JSON,
  /** TOML, as Habitat's {@code hab config apply} takes. */
  TOML;

  /** The lower-case name. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a format name, ignoring case.
   *
   * @throws IllegalArgumentException listing the allowed names
   */
  public static ConfigFormat parse(String text) {
    for (ConfigFormat f : values()) {
      if (f.name().equalsIgnoreCase(text.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown config format '"
            + text
            + "': expected one of "
            + Arrays.stream(values())
                .map(ConfigFormat::configName)
                .collect(Collectors.joining(", ")));
  }
}
