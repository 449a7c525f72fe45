/**
 * The seams between the protocol and the outside world: the {@link io.habitat.core.spi.Transport}
 * (the network) and the {@link io.habitat.core.spi.EventLoop} (the protocol thread and its clock).
 * {@code habitat-jgroups} and {@code habitat-test} implement them; applications only pick one.
 */
@NullMarked
package io.habitat.core.spi;

import org.jspecify.annotations.NullMarked;
