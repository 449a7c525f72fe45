/**
 * The public API of habitat for the JVM: value types of the service model ({@link
 * io.habitat.core.ServiceGroup}, {@link io.habitat.core.MemberId}, {@link io.habitat.core.Term},
 * {@link io.habitat.core.Topology}, ...) and the {@link io.habitat.core.Supervisor} facade.
 *
 * <p>Everything in this package is non-null unless annotated otherwise.
 */
@NullMarked
package io.habitat.core;

import org.jspecify.annotations.NullMarked;
