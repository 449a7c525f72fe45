/**
 * The {@link io.habitat.core.spi.Transport} on a JGroups channel: {@link
 * io.habitat.jgroups.JGroupsTransport}, built from a {@link io.habitat.jgroups.Preset} stack or a
 * JGroups XML stack of the application's own.
 */
@NullMarked
package io.habitat.jgroups;

import org.jspecify.annotations.NullMarked;
