package io.habitat.http.internal;

/** What {@code /metrics} serves: a scrape of a metrics registry. Thread-safe. */
interface MetricsEndpoint {

  /** The response's content type. */
  String contentType();

  /** A fresh scrape. */
  String scrape();
}
