package io.habitat.http.internal;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code /metrics} on a {@link PrometheusMeterRegistry}: the Prometheus text format, version 0.0.4.
 * The only class that names micrometer-registry-prometheus; it is loaded only when the application
 * gave a registry, so the gateway runs without that (optional) dependency.
 */
final class PrometheusScrape implements MetricsEndpoint {

  private final PrometheusMeterRegistry registry;

  private PrometheusScrape(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** The endpoint for a registry given as {@code Object} by the settings. */
  static MetricsEndpoint of(Object registry) {
    return new PrometheusScrape((PrometheusMeterRegistry) registry);
  }

  @Override
  public String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  @Override
  public String scrape() {
    return registry.scrape();
  }
}
