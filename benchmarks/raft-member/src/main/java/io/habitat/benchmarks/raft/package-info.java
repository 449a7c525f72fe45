/**
 * The jgroups-raft contender of the benchmarks: {@link io.habitat.benchmarks.raft.RaftMember}, one
 * RAFT member per JVM, on JGroups 5.4 (the version jgroups-raft 1.1 is built for), hence a module
 * and class path of its own.
 */
@NullMarked
package io.habitat.benchmarks.raft;

import org.jspecify.annotations.NullMarked;
