/**
 * The member JVMs of the contenders the benchmarks compare habitat with: plain JGroups ({@link
 * io.habitat.benchmarks.members.JGroupsMember}), Apache Curator's {@code LeaderLatch} ({@link
 * io.habitat.benchmarks.members.CuratorMember}) on a ZooKeeper {@code TestingServer} of its own
 * ({@link io.habitat.benchmarks.members.ZooKeeperServer}). Each is a small {@code main} that
 * reports the events of {@link io.habitat.benchmarks.members.MemberSupport}; the driver computes
 * every time from them. jgroups-raft's member lives in the module {@code benchmarks/raft-member},
 * on a class path of its own.
 */
@NullMarked
package io.habitat.benchmarks.members;

import org.jspecify.annotations.NullMarked;
