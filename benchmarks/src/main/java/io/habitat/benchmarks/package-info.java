/**
 * Measurements with members as separate JVMs. {@link io.habitat.benchmarks.Bench} compares habitat
 * with plain JGroups, Apache Curator on ZooKeeper and jgroups-raft (failover after {@code kill -9},
 * {@code kill -STOP} and a graceful close, start-up, idle cost) and counts habitat's messages per
 * election in one JVM; its habitat member is {@link io.habitat.benchmarks.BenchmarkMember}, the
 * others' members are in {@code io.habitat.benchmarks.members}. {@link
 * io.habitat.benchmarks.FailoverBenchmark} looks closer at habitat alone (where start-up time goes,
 * a paused leader, yield, a split start-up). They measure and print; they assert nothing.
 */
@NullMarked
package io.habitat.benchmarks;

import org.jspecify.annotations.NullMarked;
