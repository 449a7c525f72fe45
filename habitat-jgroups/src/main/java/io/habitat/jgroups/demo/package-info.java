/**
 * The ring demo: {@link io.habitat.jgroups.demo.MemberMain}, one member of a leader group in its
 * own JVM, and {@link io.habitat.jgroups.demo.RingDemo}, which starts three of them on 127.0.0.1,
 * kills the leader with {@code kill -9} and reports the failover. Run it with {@code ./mvnw -B -q
 * -pl habitat-jgroups exec:exec@demo}.
 */
@NullMarked
package io.habitat.jgroups.demo;

import org.jspecify.annotations.NullMarked;
