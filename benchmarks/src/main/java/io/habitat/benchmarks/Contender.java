package io.habitat.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * The libraries the benchmark compares, each with three member JVMs on 127.0.0.1. A contender at
 * its default settings may be the "best peer" a scenario's habitat figure is compared with; a tuned
 * variant appears in the tables only.
 */
enum Contender {
  /** Habitat with the loopback preset and default timing ({@link BenchmarkMember}). */
  HABITAT("habitat", false, "habitat, loopback preset, default timing"),
  /** Plain JGroups 5.5, leader = view coordinator, JGroups' tcp.xml as shipped. */
  JGROUPS("jgroups", true, "JGroups 5.5 tcp.xml, leader = view coordinator"),
  /** The same, with failure detection, discovery and merging tuned. */
  JGROUPS_TUNED(
      "jgroups-tuned",
      false,
      "JGroups 5.5 tcp.xml with FD_ALL3 1500/300 ms, VERIFY_SUSPECT2 100 ms, join 200 ms x 3 runs,"
          + " MERGE3 0.5/1.5 s"),
  /** Curator's LeaderLatch with ZooKeeper's default session bounds (Curator asks for 60 s). */
  CURATOR("curator", true, "Curator 5.9 LeaderLatch, ZooKeeper 3.9 default session bounds"),
  /** Curator's LeaderLatch with a 5 s session. */
  CURATOR_5S("curator-5s", false, "Curator 5.9 LeaderLatch, 5 s session"),
  /** jgroups-raft 1.1 on JGroups 5.4's tcp.xml, leader = RAFT leader. */
  JGROUPS_RAFT(
      "jgroups-raft", true, "jgroups-raft 1.1 (JGroups 5.4 tcp.xml), leader = RAFT leader");

  private final String id;
  private final boolean peerAtDefaults;
  private final String description;

  Contender(String id, boolean peerAtDefaults, String description) {
    this.id = id;
    this.peerAtDefaults = peerAtDefaults;
    this.description = description;
  }

  /** The name on the command line and in the tables. */
  String id() {
    return id;
  }

  /** Whether this is another library at its default settings (a best-peer candidate). */
  boolean peerAtDefaults() {
    return peerAtDefaults;
  }

  /** One line on what runs. */
  String description() {
    return description;
  }

  /** Whether its members need a ZooKeeper server. */
  boolean needsZooKeeper() {
    return this == CURATOR || this == CURATOR_5S;
  }

  /** All contenders, in table order. */
  static List<Contender> all() {
    return List.of(values());
  }

  /**
   * The contender with this id.
   *
   * @throws IllegalArgumentException naming the known ids
   */
  static Contender parse(String id) {
    for (Contender c : values()) {
      if (c.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown contender '"
            + id
            + "': use "
            + String.join(",", all().stream().map(Contender::id).toList()));
  }
}
