/**
 * An optional HTTP gateway for one supervisor ({@link io.habitat.http.HabitatGateway}): the census,
 * services, health and metrics as JSON, operator calls behind a bearer token, and a live census
 * dashboard. Built on the JDK's {@code com.sun.net.httpserver} and the public API of habitat-core.
 */
@NullMarked
package io.habitat.http;

import org.jspecify.annotations.NullMarked;
