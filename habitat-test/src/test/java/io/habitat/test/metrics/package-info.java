/** Tests of the Micrometer binder of habitat-core, on the in-memory ring. */
@NullMarked
package io.habitat.test.metrics;

import org.jspecify.annotations.NullMarked;
