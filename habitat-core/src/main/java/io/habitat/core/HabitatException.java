package io.habitat.core;

/**
 * A failure of the library at run time (the data directory, the transport, the protocol), as
 * opposed to bad input, which is reported with {@link IllegalArgumentException}. The message says
 * what went wrong and what to do about it.
 */
public class HabitatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HabitatException(String message) {
    super(message);
  }

  public HabitatException(String message, Throwable cause) {
    super(message, cause);
  }
}
