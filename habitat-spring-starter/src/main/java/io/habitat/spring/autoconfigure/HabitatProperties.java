package io.habitat.spring.autoconfigure;

import io.habitat.core.Topology;
import io.habitat.jgroups.Preset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The {@code habitat.*} configuration properties: the ring (the JGroups transport), the
 * application's service and its group, the protocol's timing, start-up, readiness and health.
 * {@code docs/spring-boot.md} has them as a table.
 *
 * <p>Bound by Spring Boot during the context refresh; values are checked when the beans are built,
 * and a value that is not allowed fails start-up naming the property, what was wrong and what to
 * do. A mutable JavaBean, as binding needs; not for use by several threads at once.
 */
@ConfigurationProperties("habitat")
public class HabitatProperties {

  /** Whether to auto-configure habitat: the supervisor, the service and everything around them. */
  private boolean enabled = true;

  /** The supervisor's name, used in thread names and logs. */
  private String name = "habitat";

  /**
   * The member's data directory, locked while the application runs: it keeps the member id, the
   * highest term seen and the group's initialised flag, so keep it across restarts (a volume on
   * Kubernetes). Each member needs its own. Defaults to "habitat-data/<member-id>" in the working
   * directory, or "habitat-data" when no member id is set.
   */
  private @Nullable Path dataDirectory;

  /** The ring: the JGroups cluster and how members find each other. */
  private final Ring ring = new Ring();

  /** The application's service: its group, topology and identity. */
  private final ServiceSettings service = new ServiceSettings();

  /** The protocol's timing. */
  private final TimingSettings timing = new TimingSettings();

  /** How the supervisor follows the application context's lifecycle. */
  private final Startup startup = new Startup();

  /** How habitat gates the application's readiness. */
  private final Readiness readiness = new Readiness();

  /** Where the member's health comes from. */
  private final HealthSettings health = new HealthSettings();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public @Nullable Path getDataDirectory() {
    return dataDirectory;
  }

  public void setDataDirectory(@Nullable Path dataDirectory) {
    this.dataDirectory = dataDirectory;
  }

  public Ring getRing() {
    return ring;
  }

  public ServiceSettings getService() {
    return service;
  }

  public TimingSettings getTiming() {
    return timing;
  }

  public Startup getStartup() {
    return startup;
  }

  public Readiness getReadiness() {
    return readiness;
  }

  public HealthSettings getHealth() {
    return health;
  }

  /** The ring: the JGroups cluster every member joins, and how it finds the others. */
  public static class Ring {

    /**
     * The ring's name: the JGroups cluster every member of the ring joins. 1 to 100 letters,
     * digits, '.', '_' or '-'.
     */
    private String name = "habitat";

    /**
     * The shipped JGroups stack: loopback (one machine, 127.0.0.1), lan (UDP multicast), tcp (a
     * static host list in initial-hosts) or kubernetes (DNS of a headless Service in dns-query).
     * Loopback when neither a preset nor a stack is set.
     */
    private @Nullable Preset preset;

    /**
     * A JGroups XML stack of the application's own instead of a preset, e.g.
     * "classpath:jgroups.xml". Its ${habitat.bind_addr}, ${habitat.bind_port} and similar variables
     * get the values of the properties below.
     */
    private @Nullable Resource stack;

    /**
     * The address to bind: an IP address or host name of this machine, or a JGroups keyword
     * (SITE_LOCAL, NON_LOOPBACK, match-interface:eth0, ...). 127.0.0.1 for loopback;
     * "SITE_LOCAL,NON_LOOPBACK" for the other presets.
     */
    private @Nullable String bindAddress;

    /** The first port of the ring's port block, 1 to 65535. 7800 when not set. */
    private @Nullable Integer bindPort;

    /**
     * How many consecutive ports the block has, 1 to 1000: how many members one machine can run. 10
     * for loopback and a custom stack, 1 for the other presets, when not set.
     */
    private @Nullable Integer portRange;

    /**
     * The members discovery contacts, as host:port (IPv6 as [::1]:7800). Required by the tcp
     * preset; the loopback preset defaults to the bind address at the bind port; lan and kubernetes
     * do not use it.
     */
    private @Nullable List<String> initialHosts;

    /** The IP multicast group of the lan preset. 239.8.8.8 when not set. */
    private @Nullable String multicastAddress;

    /** The UDP port of the lan preset's multicast group. 45700 when not set. */
    private @Nullable Integer multicastPort;

    /**
     * The DNS name of the ring's headless Service, for the kubernetes preset, e.g.
     * "shop-habitat.shop.svc.cluster.local". Without it the preset reads the environment variable
     * HABITAT_DNS_QUERY.
     */
    private @Nullable String dnsQuery;

    /**
     * The member's JGroups logical name, shown in JGroups logs. The member id when that is set,
     * else generated.
     */
    private @Nullable String memberName;

    /** How long joining the ring may take at start-up. 30 seconds when not set. */
    private @Nullable Duration startTimeout;

    /**
     * The ring key, base64 of at least 32 random bytes (openssl rand -base64 32): every message of
     * the ring is then encrypted and authenticated, and members without it can neither join nor
     * inject. Set at most one of key, key-file and passphrase; the environment variable
     * HABITAT_RING_KEY sets this one.
     */
    private @Nullable String key;

    /** A file holding the ring key (base64, or a Habitat .sym.key file). See key. */
    private @Nullable Path keyFile;

    /**
     * A passphrase of at least 16 characters to derive the ring key from (slower, and weaker than a
     * random key). See key.
     */
    private @Nullable String passphrase;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public @Nullable Preset getPreset() {
      return preset;
    }

    public void setPreset(@Nullable Preset preset) {
      this.preset = preset;
    }

    public @Nullable Resource getStack() {
      return stack;
    }

    public void setStack(@Nullable Resource stack) {
      this.stack = stack;
    }

    public @Nullable String getBindAddress() {
      return bindAddress;
    }

    public void setBindAddress(@Nullable String bindAddress) {
      this.bindAddress = bindAddress;
    }

    public @Nullable Integer getBindPort() {
      return bindPort;
    }

    public void setBindPort(@Nullable Integer bindPort) {
      this.bindPort = bindPort;
    }

    public @Nullable Integer getPortRange() {
      return portRange;
    }

    public void setPortRange(@Nullable Integer portRange) {
      this.portRange = portRange;
    }

    public @Nullable List<String> getInitialHosts() {
      return initialHosts;
    }

    public void setInitialHosts(@Nullable List<String> initialHosts) {
      this.initialHosts = initialHosts;
    }

    public @Nullable String getMulticastAddress() {
      return multicastAddress;
    }

    public void setMulticastAddress(@Nullable String multicastAddress) {
      this.multicastAddress = multicastAddress;
    }

    public @Nullable Integer getMulticastPort() {
      return multicastPort;
    }

    public void setMulticastPort(@Nullable Integer multicastPort) {
      this.multicastPort = multicastPort;
    }

    public @Nullable String getDnsQuery() {
      return dnsQuery;
    }

    public void setDnsQuery(@Nullable String dnsQuery) {
      this.dnsQuery = dnsQuery;
    }

    public @Nullable String getMemberName() {
      return memberName;
    }

    public void setMemberName(@Nullable String memberName) {
      this.memberName = memberName;
    }

    public @Nullable Duration getStartTimeout() {
      return startTimeout;
    }

    public void setStartTimeout(@Nullable Duration startTimeout) {
      this.startTimeout = startTimeout;
    }

    public @Nullable String getKey() {
      return key;
    }

    public void setKey(@Nullable String key) {
      this.key = key;
    }

    public @Nullable Path getKeyFile() {
      return keyFile;
    }

    public void setKeyFile(@Nullable Path keyFile) {
      this.keyFile = keyFile;
    }

    public @Nullable String getPassphrase() {
      return passphrase;
    }

    public void setPassphrase(@Nullable String passphrase) {
      this.passphrase = passphrase;
    }
  }

  /** The application's service: its group, topology, identity and hooks' timing. */
  public static class ServiceSettings {

    /**
     * The service name, the first part of the service group (service.group@organization): 1 to 63
     * ASCII letters, digits, '-' or '_'. Defaults to spring.application.name.
     */
    private @Nullable String name;

    /** The group name, the second part of the service group. */
    private String group = "default";

    /** The organization, the optional last part of the service group. */
    private @Nullable String organization;

    /**
     * How the members of the group relate: standalone (independent), leader (one leader elected) or
     * initializer (as leader, and no follower finishes start-up before the leader has run the
     * InitHook bean and reports healthy).
     */
    private Topology topology = Topology.STANDALONE;

    /**
     * A fixed member id, e.g. the pod name of a StatefulSet: 1 to 128 ASCII letters, digits, '.',
     * '-' or '_'. Without one, the id kept in the data directory is used, or a new one is generated
     * and kept.
     */
    private @Nullable String memberId;

    /** The member's claim to lead: 0 or more; higher wins elections, the member id breaks ties. */
    private long suitability = 0;

    /**
     * How many members must see each other before the group's first election: more than half of the
     * members deployed, so that two halves that start apart cannot both elect; 1 suits a laptop.
     */
    private int bootstrapSize = 3;

    /** How often the health check (and the suitability hook) runs: 10 ms to 1 hour. */
    private Duration healthInterval = Duration.ofSeconds(1);

    /** How many consecutive critical health checks make a leader abdicate: 1 to 100. */
    private int criticalThreshold = 3;

    /**
     * How long a hook may run before it is reported as hung: 10 ms to 1 hour. A leader's hand-off
     * waits for its revoked hook at most this long.
     */
    private Duration hookTimeout = Duration.ofSeconds(10);

    /** The first back-off after a failed init hook; it doubles up to init-retry-max. */
    private Duration initRetryMin = Duration.ofSeconds(1);

    /** The largest back-off between init hook attempts. */
    private Duration initRetryMax = Duration.ofSeconds(30);

    /**
     * Whether a higher-ranked eligible member takes over from a live leader. Off: leadership is
     * sticky, so a member that restarts causes no second failover.
     */
    private boolean preempt = false;

    /**
     * What the member publishes to its group from start-up (host, port, ...); at most 64 entries,
     * keys of [A-Za-z0-9._-], 4 KiB in all.
     */
    private Map<String, String> exports = new LinkedHashMap<>();

    /**
     * Groups this service depends on (Habitat's --bind), by bind name (1 to 63 of [a-z0-9_-]); read
     * them with Service.bound(name).
     */
    private Map<String, BindSettings> binds = new LinkedHashMap<>();

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }

    public String getGroup() {
      return group;
    }

    public void setGroup(String group) {
      this.group = group;
    }

    public @Nullable String getOrganization() {
      return organization;
    }

    public void setOrganization(@Nullable String organization) {
      this.organization = organization;
    }

    public Topology getTopology() {
      return topology;
    }

    public void setTopology(Topology topology) {
      this.topology = topology;
    }

    public @Nullable String getMemberId() {
      return memberId;
    }

    public void setMemberId(@Nullable String memberId) {
      this.memberId = memberId;
    }

    public long getSuitability() {
      return suitability;
    }

    public void setSuitability(long suitability) {
      this.suitability = suitability;
    }

    public int getBootstrapSize() {
      return bootstrapSize;
    }

    public void setBootstrapSize(int bootstrapSize) {
      this.bootstrapSize = bootstrapSize;
    }

    public Duration getHealthInterval() {
      return healthInterval;
    }

    public void setHealthInterval(Duration healthInterval) {
      this.healthInterval = healthInterval;
    }

    public int getCriticalThreshold() {
      return criticalThreshold;
    }

    public void setCriticalThreshold(int criticalThreshold) {
      this.criticalThreshold = criticalThreshold;
    }

    public Duration getHookTimeout() {
      return hookTimeout;
    }

    public void setHookTimeout(Duration hookTimeout) {
      this.hookTimeout = hookTimeout;
    }

    public Duration getInitRetryMin() {
      return initRetryMin;
    }

    public void setInitRetryMin(Duration initRetryMin) {
      this.initRetryMin = initRetryMin;
    }

    public Duration getInitRetryMax() {
      return initRetryMax;
    }

    public void setInitRetryMax(Duration initRetryMax) {
      this.initRetryMax = initRetryMax;
    }

    public boolean isPreempt() {
      return preempt;
    }

    public void setPreempt(boolean preempt) {
      this.preempt = preempt;
    }

    public Map<String, String> getExports() {
      return exports;
    }

    public void setExports(Map<String, String> exports) {
      this.exports = exports;
    }

    public Map<String, BindSettings> getBinds() {
      return binds;
    }

    public void setBinds(Map<String, BindSettings> binds) {
      this.binds = binds;
    }
  }

  /** One bind: a group this service depends on. */
  public static class BindSettings {

    /** The group depended on, as service.group[@organization]. */
    private @Nullable String group;

    /**
     * Whether start-up (and so readiness) waits until that group has a leader (leader and
     * initializer topologies) or any live member (standalone).
     */
    private boolean strict = false;

    public @Nullable String getGroup() {
      return group;
    }

    public void setGroup(@Nullable String group) {
      this.group = group;
    }

    public boolean isStrict() {
      return strict;
    }

    public void setStrict(boolean strict) {
      this.strict = strict;
    }
  }

  /**
   * The protocol's timing, shared by every group of the supervisor. Unset values keep their
   * defaults; they must nest: heartbeat-interval &lt; suspect-after &lt; leader-lease &lt;
   * confirm-after.
   */
  public static class TimingSettings {

    /** How often members send heartbeats. 100 ms when not set. */
    private @Nullable Duration heartbeatInterval;

    /** Silence after which a member is suspect. 400 ms when not set. */
    private @Nullable Duration suspectAfter;

    /**
     * The check-quorum bound: a leader without acknowledgements from a majority within it steps
     * down. 1.1 s when not set.
     */
    private @Nullable Duration leaderLease;

    /** Silence after which a member is confirmed dead and replaced. 1.3 s when not set. */
    private @Nullable Duration confirmAfter;

    /** How long a candidate waits for acknowledgements. 300 ms when not set. */
    private @Nullable Duration electionTimeout;

    public @Nullable Duration getHeartbeatInterval() {
      return heartbeatInterval;
    }

    public void setHeartbeatInterval(@Nullable Duration heartbeatInterval) {
      this.heartbeatInterval = heartbeatInterval;
    }

    public @Nullable Duration getSuspectAfter() {
      return suspectAfter;
    }

    public void setSuspectAfter(@Nullable Duration suspectAfter) {
      this.suspectAfter = suspectAfter;
    }

    public @Nullable Duration getLeaderLease() {
      return leaderLease;
    }

    public void setLeaderLease(@Nullable Duration leaderLease) {
      this.leaderLease = leaderLease;
    }

    public @Nullable Duration getConfirmAfter() {
      return confirmAfter;
    }

    public void setConfirmAfter(@Nullable Duration confirmAfter) {
      this.confirmAfter = confirmAfter;
    }

    public @Nullable Duration getElectionTimeout() {
      return electionTimeout;
    }

    public void setElectionTimeout(@Nullable Duration electionTimeout) {
      this.electionTimeout = electionTimeout;
    }
  }

  /** How the supervisor follows the application context's lifecycle. */
  public static class Startup {

    /**
     * Whether the supervisor joins the ring when the context starts. Off, it joins only when the
     * application starts the "habitatLifecycle" bean itself.
     */
    private boolean autoStartup = true;

    /**
     * The SmartLifecycle phase: the supervisor starts before beans of higher phases and stops after
     * them. By default it starts before the web server and stops after the web server's graceful
     * shutdown.
     */
    private int phase = HabitatLifecycle.DEFAULT_PHASE;

    /**
     * Whether start-up blocks until the service has finished start-up (in the initializer topology:
     * until the group is initialised), failing it after the timeout. Off: the context starts at
     * once and readiness is gated instead.
     */
    private boolean waitForReady = false;

    /** How long start-up waits when wait-for-ready is on. */
    private Duration timeout = Duration.ofMinutes(2);

    public boolean isAutoStartup() {
      return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
      this.autoStartup = autoStartup;
    }

    public int getPhase() {
      return phase;
    }

    public void setPhase(int phase) {
      this.phase = phase;
    }

    public boolean isWaitForReady() {
      return waitForReady;
    }

    public void setWaitForReady(boolean waitForReady) {
      this.waitForReady = waitForReady;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** How habitat gates the application's readiness. */
  public static class Readiness {

    /**
     * Whether the application's readiness state stays REFUSING_TRAFFIC until the service has
     * finished start-up (joined; in the initializer topology, the group initialised; strict binds
     * satisfied), and turns REFUSING_TRAFFIC again if the service fails. Liveness is never
     * affected.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Where the member's health comes from. */
  public static class HealthSettings {

    /** The application's Actuator health as the member's health check. */
    private final Actuator actuator = new Actuator();

    public Actuator getActuator() {
      return actuator;
    }

    /** The application's Actuator health as the member's health check. */
    public static class Actuator {

      /**
       * Whether the application's own Actuator health is the member's health check when Actuator is
       * present and no HealthCheck bean is defined: UP is ok, DOWN is critical (the member may not
       * lead), anything else is warning.
       */
      private boolean enabled = true;

      /**
       * Health contributors left out of that check, besides "habitat" itself, which always is.
       * "readinessState" is left out by default: readiness is gated on the group, so counting it
       * would keep an initializer group from ever becoming healthy.
       */
      private List<String> exclude = new ArrayList<>(List.of("readinessState"));

      public boolean isEnabled() {
        return enabled;
      }

      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }

      public List<String> getExclude() {
        return exclude;
      }

      public void setExclude(List<String> exclude) {
        this.exclude = exclude;
      }
    }
  }
}
