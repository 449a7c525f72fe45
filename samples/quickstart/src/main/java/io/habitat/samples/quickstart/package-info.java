/**
 * The quickstart: {@link io.habitat.samples.quickstart.MemberMain}, one member of a leader group in
 * its own JVM, and {@link io.habitat.samples.quickstart.Quickstart}, which starts three of them on
 * 127.0.0.1, kills the leader with {@code kill -9} and shows the failover and the followers'
 * reconfiguration. Run it with {@code ./mvnw -B -q -pl samples/quickstart exec:exec@quickstart}, or
 * with {@code exec:exec@interactive} to drive the group from the keyboard.
 */
@NullMarked
package io.habitat.samples.quickstart;

import org.jspecify.annotations.NullMarked;
