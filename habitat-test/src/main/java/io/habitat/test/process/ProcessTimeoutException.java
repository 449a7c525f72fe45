package io.habitat.test.process;

/**
 * A {@link MemberProcess} did not do what was awaited in time (or exited before it did). The
 * message names the process and shows the last lines of its output, so a failed test says what the
 * child was doing.
 */
public final class ProcessTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A timeout with the given message. */
  public ProcessTimeoutException(String message) {
    super(message);
  }
}
