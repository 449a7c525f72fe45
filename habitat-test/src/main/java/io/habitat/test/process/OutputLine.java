package io.habitat.test.process;

import java.util.Objects;

/**
 * One line a child process wrote to its standard output, as the parent received it.
 *
 * @param receivedMillis the parent's wall clock ({@link System#currentTimeMillis()}) when the line
 *     was read
 * @param text the line, without its line terminator
 */
public record OutputLine(long receivedMillis, String text) {

  /** Checks that the text is not null. */
  public OutputLine {
    Objects.requireNonNull(text, "text");
  }
}
