package io.habitat.core.internal;

import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The protocol's messages. Every message travels in an envelope that names its service group, its
 * sender's member id and the sender's incarnation (start time), so one ring carries any number of
 * groups. {@link WireCodec} turns them into bytes and back.
 */
public final class Wire {
  private Wire() {}

  /** Who sent a message, in which group. */
  public record Envelope(ServiceGroup group, MemberId sender, long incarnation, Body body) {}

  /**
   * A committed (or proposed) voting membership, identified by the term of the leader that made it
   * and a version within that term. Ordered by (term, version).
   *
   * @param term the term of the leader that proposed it ({@code 0} for a bootstrap membership)
   * @param version grows with each change a leader makes within its term
   */
  public record ConfigId(long term, long version) implements Comparable<ConfigId> {
    /** No membership yet. */
    public static final ConfigId NONE = new ConfigId(0, 0);

    @Override
    public int compareTo(ConfigId o) {
      int c = Long.compare(term, o.term);
      return c != 0 ? c : Long.compare(version, o.version);
    }

    /** Whether this id is strictly newer than the other. */
    public boolean isAfter(ConfigId o) {
      return compareTo(o) > 0;
    }

    @Override
    public String toString() {
      return term + "." + version;
    }
  }

  /**
   * Identifies a group config document in heartbeats: version, applier's term, and the first 8
   * bytes of its SHA-256. Ordered as {@link io.habitat.core.GroupConfig} orders documents.
   */
  public record DocId(long version, long term, long digest) implements Comparable<DocId> {
    /** No document. */
    public static final DocId NONE = new DocId(0, 0, 0);

    /** The id of a document. */
    public static DocId of(io.habitat.core.@Nullable GroupConfig c) {
      return c == null
          ? NONE
          : new DocId(c.version(), c.term().value(), GroupConfigs.digestPrefix(c.digest()));
    }

    @Override
    public int compareTo(DocId o) {
      int c = Long.compare(version, o.version);
      if (c == 0) {
        c = Long.compare(term, o.term);
      }
      return c != 0 ? c : Long.compareUnsigned(digest, o.digest);
    }
  }

  /** A message's content. */
  public sealed interface Body
      permits Heartbeat,
          Leave,
          Election,
          Answer,
          Coordinator,
          Ack,
          ConfigChange,
          ExportsRequest,
          Exports,
          ConfigDoc,
          Reelect,
          Depart {}

  /**
   * Sent by every member to all, every heartbeat interval.
   *
   * @param suitability the sender's claim to lead
   * @param eligible whether the sender may lead (not critical, not leaving)
   * @param acceptedTerm the highest term the sender accepted
   * @param highestTerm the highest term the sender has seen or claimed, so that a candidate claims
   *     above every term any member has voted in
   * @param leader the leader the sender follows, if any
   * @param leading whether the sender is the leader of {@code acceptedTerm}
   * @param config the newest voting membership the sender holds
   * @param timestamp the sender's monotonic clock when it sent this; a leader's followers echo it
   *     in their {@link Ack}, so the leader's lease is counted from when it sent, never from when a
   *     delayed acknowledgement arrived
   * @param health the sender's last health
   * @param topology the sender's topology (read by services that bind to the group)
   * @param exportsVersion the version of the sender's exports; a member that holds an older one
   *     asks for them with {@link ExportsRequest}
   * @param initialisedTerm the term of the leader that initialised the group, 0 if the sender does
   *     not know it initialised (initializer topology)
   * @param initError the sender's last init failure while it leads, empty if none
   * @param groupConfig the newest group config the sender holds
   */
  public record Heartbeat(
      long suitability,
      boolean eligible,
      long acceptedTerm,
      long highestTerm,
      @Nullable MemberId leader,
      boolean leading,
      ConfigId config,
      long timestamp,
      io.habitat.core.Health health,
      io.habitat.core.Topology topology,
      long exportsVersion,
      long initialisedTerm,
      String initError,
      DocId groupConfig)
      implements Body {}

  /** Asks the receiver for its exports; answered with {@link Exports} to the sender's address. */
  public record ExportsRequest() implements Body {}

  /**
   * The sender's exports.
   *
   * @param version grows with every change the sender makes
   * @param entries the exports, ordered by key
   */
  public record Exports(long version, java.util.Map<String, String> entries) implements Body {
    /** Copies the map, ordered by key. */
    public Exports {
      entries = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(entries));
    }
  }

  /** A group config document, pushed to a member whose heartbeat shows an older one. */
  public record ConfigDoc(io.habitat.core.GroupConfig config) implements Body {}

  /** Asks the leader of {@code term} to step down for a re-election (an operator's request). */
  public record Reelect(long term) implements Body {}

  /**
   * An operator removed {@code member} from the group for good: a live member leaves gracefully
   * when it reads this about itself, and every member ignores it from then on (answering it with
   * this message, so that a departed member that restarts under the same id learns it at once).
   */
  public record Depart(MemberId member) implements Body {}

  /** The sender leaves the group gracefully; it counts as its own acknowledgement of removal. */
  public record Leave() implements Body {}

  /** A Bully election probe, sent to higher-ranked members only. */
  public record Election(long term) implements Body {}

  /** The reply of a higher-ranked member to {@link Election}: it takes over. */
  public record Answer(long term) implements Body {}

  /**
   * A candidate claims leadership of {@code term} with its voting membership.
   *
   * @param term the claimed term
   * @param config the id of the candidate's voting membership
   * @param voters the candidate's voting membership
   * @param timestamp the candidate's monotonic clock when it claimed; echoed in the {@link Ack}
   */
  public record Coordinator(long term, ConfigId config, List<MemberId> voters, long timestamp)
      implements Body {
    /** Copies the list. */
    public Coordinator {
      voters = List.copyOf(voters);
    }
  }

  /**
   * A reply to {@link Coordinator}, to a leader's {@link Heartbeat} or to {@link ConfigChange}.
   *
   * @param term the term acknowledged (or refused)
   * @param accepted whether the sender accepts the leader of {@code term}
   * @param highestTerm the highest term the sender has seen, so a refused candidate can catch up
   * @param config the newest voting membership the sender holds
   * @param echo the timestamp of the heartbeat or claim this answers (0 for membership changes)
   */
  public record Ack(long term, boolean accepted, long highestTerm, ConfigId config, long echo)
      implements Body {}

  /**
   * A leader with quorum proposes a new voting membership (one member added or removed).
   *
   * @param term the leader's term
   * @param config the new membership's id
   * @param voters the new membership
   */
  public record ConfigChange(long term, ConfigId config, List<MemberId> voters) implements Body {
    /** Copies the list. */
    public ConfigChange {
      voters = List.copyOf(voters);
    }
  }
}
