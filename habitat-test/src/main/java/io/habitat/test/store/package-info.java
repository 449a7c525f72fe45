/**
 * An in-memory {@link io.habitat.core.spi.LocalStore} whose records survive simulated restarts of a
 * member, as a data directory on disk survives process restarts.
 */
@NullMarked
package io.habitat.test.store;

import org.jspecify.annotations.NullMarked;
