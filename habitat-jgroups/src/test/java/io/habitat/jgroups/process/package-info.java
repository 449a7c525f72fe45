/** Real process faults (kill -9, kill -STOP, graceful close) on rings of member JVMs. */
@NullMarked
package io.habitat.jgroups.process;

import org.jspecify.annotations.NullMarked;
