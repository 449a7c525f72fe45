/**
 * The transport compliance suite: one abstract JUnit class that every {@link
 * io.habitat.core.spi.Transport} implementation extends with a {@link
 * io.habitat.test.compliance.TransportFixture} of its own.
 */
@NullMarked
package io.habitat.test.compliance;

import org.jspecify.annotations.NullMarked;
