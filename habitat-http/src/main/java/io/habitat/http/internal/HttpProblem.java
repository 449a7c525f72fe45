package io.habitat.http.internal;

import java.util.Map;

/**
 * A request the gateway refuses: the status and the {@code {"error":...,"hint":...}} body to answer
 * with, plus headers (such as {@code Allow} or {@code WWW-Authenticate}). Thrown before anything is
 * applied, so a refused request has changed nothing.
 */
public final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String hint;
  private final transient Map<String, String> headers;

  /** A problem without extra headers. */
  public HttpProblem(int status, String error, String hint) {
    this(status, error, hint, Map.of());
  }

  /** A problem with extra response headers. */
  public HttpProblem(int status, String error, String hint, Map<String, String> headers) {
    super(error, null, false, false);
    this.status = status;
    this.error = error;
    this.hint = hint;
    this.headers = Map.copyOf(headers);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** What was wrong. */
  public String error() {
    return error;
  }

  /** What to do about it. */
  public String hint() {
    return hint;
  }

  /** Extra response headers. */
  public Map<String, String> headers() {
    return headers;
  }
}
