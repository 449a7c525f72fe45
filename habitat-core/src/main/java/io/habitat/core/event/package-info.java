/**
 * Events a supervisor publishes to {@link io.habitat.core.event.EventListener}s: leadership
 * changes, failed elections, failovers and hook failures, for metrics, logs and dashboards.
 */
@NullMarked
package io.habitat.core.event;

import org.jspecify.annotations.NullMarked;
