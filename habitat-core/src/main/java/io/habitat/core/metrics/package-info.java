/**
 * Micrometer meters for a {@link io.habitat.core.Supervisor}: {@link
 * io.habitat.core.metrics.HabitatMetrics}. The only package of habitat-core that uses Micrometer;
 * Micrometer is an optional dependency, so applications that use this package bring {@code
 * io.micrometer:micrometer-core} themselves, and the rest of the library works without it.
 */
@NullMarked
package io.habitat.core.metrics;

import org.jspecify.annotations.NullMarked;
