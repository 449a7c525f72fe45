package io.habitat.site;

/**
 * Why the site cannot be built, worded for the person who runs the build: which file and line, what
 * is wrong, and what to do. Thrown before anything is written, so a failed build leaves the
 * previous site as it was.
 */
public final class SiteException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure with a message that says what was wrong and what to do. */
  public SiteException(String message) {
    super(message);
  }
}
