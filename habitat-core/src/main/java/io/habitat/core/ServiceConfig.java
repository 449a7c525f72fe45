package io.habitat.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one service joins its group: the group, the topology, and the member's identity and claim to
 * lead. Immutable; built with {@link #builder(ServiceGroup)}, which validates each value as it is
 * set.
 */
public final class ServiceConfig {

  private final ServiceGroup group;
  private final Topology topology;
  private final @Nullable MemberId memberId;
  private final long suitability;
  private final int bootstrapSize;

  private ServiceConfig(Builder b) {
    this.group = b.group;
    this.topology = b.topology;
    this.memberId = b.memberId;
    this.suitability = b.suitability;
    this.bootstrapSize = b.bootstrapSize;
  }

  /** A builder for a service of the given group. */
  public static Builder builder(ServiceGroup group) {
    return new Builder(group);
  }

  /** The service group. */
  public ServiceGroup group() {
    return group;
  }

  /** The topology. */
  public Topology topology() {
    return topology;
  }

  /** The configured member id, or null to use the stored one (or generate one). */
  public @Nullable MemberId memberId() {
    return memberId;
  }

  /** The member's suitability: higher wins elections. */
  public long suitability() {
    return suitability;
  }

  /** How many members must see each other before the group's first election. */
  public int bootstrapSize() {
    return bootstrapSize;
  }

  @Override
  public String toString() {
    return "ServiceConfig[" + group + ", " + topology.configName() + "]";
  }

  /** Builds a {@link ServiceConfig}. Not thread-safe. */
  public static final class Builder {
    private final ServiceGroup group;
    private Topology topology = Topology.STANDALONE;
    private @Nullable MemberId memberId;
    private long suitability;
    private int bootstrapSize = 3;

    private Builder(ServiceGroup group) {
      this.group = Objects.requireNonNull(group, "group");
    }

    /** The topology; {@code standalone} by default. */
    public Builder topology(Topology topology) {
      this.topology = Objects.requireNonNull(topology, "topology");
      return this;
    }

    /**
     * A fixed member id (for example the pod name of a StatefulSet). Without one, the id kept in
     * the data directory is used, or a new one is generated and kept.
     */
    public Builder memberId(MemberId memberId) {
      this.memberId = Objects.requireNonNull(memberId, "memberId");
      return this;
    }

    /** The member's claim to lead: 0 or more, 0 by default. */
    public Builder suitability(long suitability) {
      this.suitability = Suitability.of(suitability).value();
      return this;
    }

    /**
     * How many members must see each other before the group's first election: 3 by default, as
     * Habitat's leader topology runs on at least three members. Set it to more than half of the
     * members you deploy, so two halves that start apart cannot both elect; 1 suits a laptop. Later
     * elections need a majority of the committed voting membership instead.
     */
    public Builder bootstrapSize(int bootstrapSize) {
      if (bootstrapSize < 1 || bootstrapSize > 1024) {
        throw new IllegalArgumentException(
            "bootstrapSize must be between 1 and 1024, was " + bootstrapSize);
      }
      this.bootstrapSize = bootstrapSize;
      return this;
    }

    /** The configuration. */
    public ServiceConfig build() {
      return new ServiceConfig(this);
    }
  }
}
