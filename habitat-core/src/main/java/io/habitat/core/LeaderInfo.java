package io.habitat.core;

import java.util.Map;
import java.util.Objects;

/**
 * A group's leader as a follower sees it when it is reconfigured.
 *
 * @param id the leader's member id
 * @param address its ring address
 * @param exports what it publishes (host, port, ...), empty if it publishes nothing
 * @param term the term it leads: a follower that talks to the leader can pass it along as a fencing
 *     token
 */
public record LeaderInfo(MemberId id, String address, Map<String, String> exports, Term term) {
  /** Checks for nulls and copies the map. */
  public LeaderInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    exports = Map.copyOf(exports);
    Objects.requireNonNull(term, "term");
  }
}
