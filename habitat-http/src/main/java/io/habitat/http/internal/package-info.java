/**
 * The gateway's implementation: routing, JSON views, event streams and the dashboard's files. Not
 * an API: anything here may change in any release; use {@link io.habitat.http.HabitatGateway}.
 */
@NullMarked
package io.habitat.http.internal;

import org.jspecify.annotations.NullMarked;
