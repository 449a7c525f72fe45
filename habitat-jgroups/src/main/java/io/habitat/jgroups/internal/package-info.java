/**
 * The implementation behind {@link io.habitat.jgroups.JGroupsTransport}: the channel adapter, the
 * address book, stack loading and logging set-up. Not API: it may change in any release.
 */
@NullMarked
package io.habitat.jgroups.internal;

import org.jspecify.annotations.NullMarked;
