/**
 * Spring application events for what happens to the application's habitat service: leadership
 * granted and revoked (with the term), a follower reconfigured for a new leader, a new group
 * config, a census change, start-up finished, and failure. All extend {@link
 * io.habitat.spring.event.HabitatApplicationEvent}, whose comment says on which thread and in which
 * order they arrive.
 */
@NullMarked
package io.habitat.spring.event;

import org.jspecify.annotations.NullMarked;
