/** Events the supervisor publishes to listeners (membership and, later, leadership changes). */
@NullMarked
package io.habitat.core.event;

import org.jspecify.annotations.NullMarked;
