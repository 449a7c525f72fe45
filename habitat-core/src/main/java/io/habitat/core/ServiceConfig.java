package io.habitat.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final Hooks hooks;
  private final Map<String, String> exports;
  private final List<Bind> binds;
  private final Duration healthInterval;
  private final int criticalThreshold;
  private final Duration hookTimeout;
  private final Duration initRetryMin;
  private final Duration initRetryMax;
  private final boolean preempt;

  private ServiceConfig(Builder b) {
    this.group = b.group;
    this.topology = b.topology;
    this.memberId = b.memberId;
    this.suitability = b.suitability;
    this.bootstrapSize = b.bootstrapSize;
    this.hooks =
        new Hooks(
            b.init,
            b.healthCheck,
            b.suitabilityHook,
            b.onElected,
            b.onRevoked,
            b.onReconfigure,
            b.restart,
            b.onGroupConfig,
            b.onBindChanged);
    this.exports = Map.copyOf(b.exports);
    this.binds = List.copyOf(b.binds.values());
    this.healthInterval = b.healthInterval;
    this.criticalThreshold = b.criticalThreshold;
    this.hookTimeout = b.hookTimeout;
    this.initRetryMin = b.initRetryMin;
    this.initRetryMax = b.initRetryMax;
    this.preempt = b.preempt;
    if (topology != Topology.INITIALIZER && b.init != null) {
      throw new IllegalArgumentException(
          "an init hook needs the initializer topology, but "
              + group
              + " is "
              + topology.configName()
              + ": set topology(Topology.INITIALIZER) or drop the init hook");
    }
  }

  /** A builder for a service of the given group. */
  public static Builder builder(ServiceGroup group) {
    return new Builder(group);
  }

  /** A builder that starts from this configuration, for a variant of it. */
  public Builder toBuilder() {
    Builder b = new Builder(group);
    b.topology = topology;
    b.memberId = memberId;
    b.suitability = suitability;
    b.bootstrapSize = bootstrapSize;
    b.init = hooks.init();
    b.healthCheck = hooks.healthCheck();
    b.suitabilityHook = hooks.suitability();
    b.onElected = hooks.onElected();
    b.onRevoked = hooks.onRevoked();
    b.onReconfigure = hooks.onReconfigure();
    b.restart = hooks.restart();
    b.onGroupConfig = hooks.onGroupConfig();
    b.onBindChanged = hooks.onBindChanged();
    b.exports = exports;
    binds.forEach(x -> b.binds.put(x.name(), x));
    b.healthInterval = healthInterval;
    b.criticalThreshold = criticalThreshold;
    b.hookTimeout = hookTimeout;
    b.initRetryMin = initRetryMin;
    b.initRetryMax = initRetryMax;
    b.preempt = preempt;
    return b;
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

  /** The application's hooks. */
  public Hooks hooks() {
    return hooks;
  }

  /** The exports the member publishes from start-up. */
  public Map<String, String> exports() {
    return exports;
  }

  /** The groups this service binds to, in the order declared. */
  public List<Bind> binds() {
    return binds;
  }

  /** How often the health check (and the suitability hook) runs. */
  public Duration healthInterval() {
    return healthInterval;
  }

  /** How many consecutive critical checks make a leader abdicate. */
  public int criticalThreshold() {
    return criticalThreshold;
  }

  /** How long a hook may run before it is reported as hung. */
  public Duration hookTimeout() {
    return hookTimeout;
  }

  /** The first back-off after a failed init. */
  public Duration initRetryMin() {
    return initRetryMin;
  }

  /** The largest back-off after failed inits. */
  public Duration initRetryMax() {
    return initRetryMax;
  }

  /** Whether a higher-ranked eligible member takes over from a live leader. */
  public boolean preempt() {
    return preempt;
  }

  /**
   * The hooks of one service; null where the application gave none.
   *
   * @param init the init hook (initializer topology, leader only)
   * @param healthCheck the health check; without one the member reports {@link Health#OK}
   * @param suitability polled with the health check; without one the configured value is kept
   * @param onElected called when this member is elected
   * @param onRevoked called when its leadership ends
   * @param onReconfigure called on followers for each new leader
   * @param restart the follower restart policy
   * @param onGroupConfig called when a newer group config arrives
   * @param onBindChanged called when a bound group changes
   */
  public record Hooks(
      @Nullable InitHook init,
      @Nullable HealthCheck healthCheck,
      @Nullable SuitabilityHook suitability,
      @Nullable LeaderHook onElected,
      @Nullable LeaderHook onRevoked,
      @Nullable ReconfigureHook onReconfigure,
      @Nullable AppLifecycle restart,
      @Nullable GroupConfigHook onGroupConfig,
      @Nullable BindHook onBindChanged) {}

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
    private @Nullable InitHook init;
    private @Nullable HealthCheck healthCheck;
    private @Nullable SuitabilityHook suitabilityHook;
    private @Nullable LeaderHook onElected;
    private @Nullable LeaderHook onRevoked;
    private @Nullable ReconfigureHook onReconfigure;
    private @Nullable AppLifecycle restart;
    private @Nullable GroupConfigHook onGroupConfig;
    private @Nullable BindHook onBindChanged;
    private Map<String, String> exports = Map.of();
    private final Map<String, Bind> binds = new LinkedHashMap<>();
    private Duration healthInterval = Duration.ofSeconds(1);
    private int criticalThreshold = 3;
    private Duration hookTimeout = Duration.ofSeconds(10);
    private Duration initRetryMin = Duration.ofSeconds(1);
    private Duration initRetryMax = Duration.ofSeconds(30);
    private boolean preempt;

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

    /**
     * The init hook (initializer topology only): run by the elected leader before any follower
     * completes start-up. It must be idempotent; see {@link InitHook}.
     */
    public Builder init(InitHook hook) {
      this.init = Objects.requireNonNull(hook, "init");
      return this;
    }

    /** The health check, run every {@link #healthInterval(Duration)}; see {@link HealthCheck}. */
    public Builder healthCheck(HealthCheck check) {
      this.healthCheck = Objects.requireNonNull(check, "healthCheck");
      return this;
    }

    /** How often the health check runs: 1 s by default, between 10 ms and 1 hour. */
    public Builder healthInterval(Duration interval) {
      this.healthInterval = within("healthInterval", interval, 10, 3_600_000);
      return this;
    }

    /**
     * How many consecutive {@link Health#CRITICAL} checks make a leader abdicate: 3 by default, 1
     * to 100. A critical member never claims leadership, whatever the count.
     */
    public Builder criticalThreshold(int checks) {
      if (checks < 1 || checks > 100) {
        throw new IllegalArgumentException("criticalThreshold must be 1 to 100, was " + checks);
      }
      this.criticalThreshold = checks;
      return this;
    }

    /** A hook that reports the suitability, polled with the health check. */
    public Builder suitability(SuitabilityHook hook) {
      this.suitabilityHook = Objects.requireNonNull(hook, "suitability");
      return this;
    }

    /** Called when this member is elected; see {@link LeaderHook}. */
    public Builder onElected(LeaderHook hook) {
      this.onElected = Objects.requireNonNull(hook, "onElected");
      return this;
    }

    /** Called when this member's leadership of a term ends; see {@link LeaderHook}. */
    public Builder onRevoked(LeaderHook hook) {
      this.onRevoked = Objects.requireNonNull(hook, "onRevoked");
      return this;
    }

    /** Called on followers for each new leader; see {@link ReconfigureHook}. */
    public Builder onReconfigure(ReconfigureHook hook) {
      this.onReconfigure = Objects.requireNonNull(hook, "onReconfigure");
      return this;
    }

    /**
     * Restarts followers on every leadership change, as Habitat does for services without a
     * reconfigure hook: {@code stop()} then {@code start()}, after the reconfigure hook if there is
     * one. Off by default.
     */
    public Builder restartOnReconfigure(AppLifecycle app) {
      this.restart = Objects.requireNonNull(app, "app");
      return this;
    }

    /** Called when a newer group config arrives; see {@link GroupConfigHook}. */
    public Builder onGroupConfig(GroupConfigHook hook) {
      this.onGroupConfig = Objects.requireNonNull(hook, "onGroupConfig");
      return this;
    }

    /** Depends on another group; see {@link Bind}. Bind names are unique per service. */
    public Builder bind(Bind bind) {
      Objects.requireNonNull(bind, "bind");
      if (bind.group().equals(group)) {
        throw new IllegalArgumentException(
            "a service cannot bind to its own group " + group + ": its census has the same data");
      }
      if (binds.containsKey(bind.name())) {
        throw new IllegalArgumentException(
            "bind name '" + bind.name() + "' is used twice: give each bind its own name");
      }
      binds.put(bind.name(), bind);
      return this;
    }

    /** Called when a bound group changes; see {@link BindHook}. */
    public Builder onBindChanged(BindHook hook) {
      this.onBindChanged = Objects.requireNonNull(hook, "onBindChanged");
      return this;
    }

    /**
     * What the member publishes from start-up (host, port, ...); see {@link Service#publishExports}
     * for the limits.
     */
    public Builder exports(Map<String, String> exports) {
      this.exports = Exports.validate(exports);
      return this;
    }

    /**
     * How long a hook may run before it is reported as hung: 10 s by default, 10 ms to 1 hour. A
     * hung hook delays only the later hooks of its own service, never the election or other
     * services; a leader's hand-off waits for its revoked hook at most this long.
     */
    public Builder hookTimeout(Duration timeout) {
      this.hookTimeout = within("hookTimeout", timeout, 10, 3_600_000);
      return this;
    }

    /**
     * The back-off between init attempts after a failure: it starts at {@code min} and doubles up
     * to {@code max}. 1 s and 30 s by default.
     */
    public Builder initRetry(Duration min, Duration max) {
      Duration lo = within("initRetry min", min, 1, 3_600_000);
      Duration hi = within("initRetry max", max, 1, 3_600_000);
      if (hi.compareTo(lo) < 0) {
        throw new IllegalArgumentException(
            "initRetry max (" + hi + ") must not be below min (" + lo + ")");
      }
      this.initRetryMin = lo;
      this.initRetryMax = hi;
      return this;
    }

    /**
     * Whether a higher-ranked eligible member takes over from a live leader (preemption). Off by
     * default: leadership is sticky, so a member that restarts does not cause a second failover.
     */
    public Builder preempt(boolean preempt) {
      this.preempt = preempt;
      return this;
    }

    private static Duration within(String what, Duration d, long minMillis, long maxMillis) {
      Objects.requireNonNull(d, what);
      if (d.toMillis() < minMillis || d.toMillis() > maxMillis) {
        throw new IllegalArgumentException(
            what + " must be between " + minMillis + " ms and " + maxMillis + " ms, was " + d);
      }
      return d;
    }

    /** The configuration. */
    public ServiceConfig build() {
      return new ServiceConfig(this);
    }
  }
}
