package io.habitat.test.network;

import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.Supervisor;
import io.habitat.core.Timing;
import io.habitat.test.store.InMemoryDataDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A ring of supervisors on the in-memory network and virtual time, for tests of code built on
 * habitat: start members, crash, freeze or partition them, and wait for conditions without a single
 * real sleep.
 *
 * <pre>{@code
 * try (InMemoryRing ring = InMemoryRing.create(42)) {
 *   ServiceConfig config = ServiceConfig.builder(ServiceGroup.parse("db.main"))
 *       .topology(Topology.LEADER).build();
 *   InMemoryRing.Member a = ring.start("a", config);
 *   InMemoryRing.Member b = ring.start("b", config);
 *   InMemoryRing.Member c = ring.start("c", config);
 *   ring.await("a leader", () -> a.service().census().leaderId().isPresent());
 * }
 * }</pre>
 *
 * <p>Confined to the thread that created it: time only moves inside {@link #await} and {@link
 * #runFor}, on that thread, and the members' protocol loops and listeners run there too.
 */
public final class InMemoryRing implements AutoCloseable {

  /** One member: its supervisor, its service, its transport and its node. */
  public static final class Member {
    private final String name;
    private final VirtualNode node;
    private final VirtualNode hooks;
    private final InMemoryTransport transport;
    private final Supervisor supervisor;
    private final Service service;
    private final InMemoryDataDirectory directory;

    private Member(
        String name,
        VirtualNode node,
        VirtualNode hooks,
        InMemoryTransport transport,
        Supervisor supervisor,
        Service service,
        InMemoryDataDirectory directory) {
      this.name = name;
      this.node = node;
      this.hooks = hooks;
      this.transport = transport;
      this.supervisor = supervisor;
      this.service = service;
      this.directory = directory;
    }

    /** The name given at start (also the member id, unless the config names one). */
    public String name() {
      return name;
    }

    /** The member's service. */
    public Service service() {
      return service;
    }

    /** The member's supervisor. */
    public Supervisor supervisor() {
      return supervisor;
    }

    /** The member's transport. */
    public InMemoryTransport transport() {
      return transport;
    }

    /** The member's protocol node (freeze it to pause the member). */
    public VirtualNode node() {
      return node;
    }

    /**
     * The node the member's hooks, listeners and events run on. Freeze it (and only it) to model
     * hooks that hang: the protocol goes on, the hooks wait until it thaws.
     */
    public VirtualNode hooks() {
      return hooks;
    }

    /** The member's data directory; it survives {@link InMemoryRing#restart}. */
    public InMemoryDataDirectory directory() {
      return directory;
    }
  }

  private final VirtualTime time = new VirtualTime();
  private final InMemoryNetwork network;
  private final Timing timing;
  private final Duration awaitLimit;
  private final List<Member> members = new ArrayList<>();

  private InMemoryRing(long seed, Timing timing, Duration awaitLimit) {
    this.network = new InMemoryNetwork(time, seed);
    this.timing = timing;
    this.awaitLimit = awaitLimit;
  }

  /** A ring with default timing; waits give up after 60 s of virtual time. */
  public static InMemoryRing create(long seed) {
    return new InMemoryRing(seed, Timing.defaults(), Duration.ofSeconds(60));
  }

  /** A ring with the given timing and wait limit. */
  public static InMemoryRing create(long seed, Timing timing, Duration awaitLimit) {
    return new InMemoryRing(
        seed, Objects.requireNonNull(timing, "timing"), Objects.requireNonNull(awaitLimit));
  }

  /** The virtual clock. */
  public VirtualTime time() {
    return time;
  }

  /** The network, for faults and partitions. */
  public InMemoryNetwork network() {
    return network;
  }

  /** Starts a member with a new data directory; the member id defaults to {@code name}. */
  public Member start(String name, ServiceConfig config) {
    return start(name, config, new InMemoryDataDirectory(name));
  }

  /** Restarts a crashed or closed member on its old data directory. */
  public Member restart(Member old, ServiceConfig config) {
    return start(old.name, config, old.directory);
  }

  private Member start(String name, ServiceConfig config, InMemoryDataDirectory dir) {
    int incarnation = 0;
    for (Member m : members) {
      if (m.name.equals(name)) {
        incarnation++;
      }
    }
    String nodeName = incarnation == 0 ? name : name + "#" + incarnation;
    VirtualNode node = time.newNode(nodeName);
    VirtualNode hooks = time.newNode(nodeName + "-hooks");
    InMemoryTransport transport = network.newTransport(node);
    Supervisor supervisor =
        Supervisor.builder()
            .name(nodeName)
            .transport(transport)
            .eventLoop(node)
            .hookExecutor(hooks)
            .store(dir.open())
            .timing(timing)
            .build();
    ServiceConfig effective = config;
    if (config.memberId() == null) {
      effective = withMemberId(config, name);
    }
    Service service = supervisor.register(effective);
    supervisor.start();
    Member m = new Member(nodeName, node, hooks, transport, supervisor, service, dir);
    members.add(m);
    return m;
  }

  private static ServiceConfig withMemberId(ServiceConfig c, String name) {
    return c.toBuilder().memberId(io.habitat.core.MemberId.of(name)).build();
  }

  /** Crashes a member as {@code kill -9} would: no goodbye; its data directory survives. */
  public void crash(Member m) {
    network.crash(m.transport);
    m.node.crash();
    m.hooks.crash();
    m.directory.crashHolder();
  }

  /** Pauses a member as {@code kill -STOP} would. */
  public void freeze(Member m) {
    m.node.freeze();
    m.hooks.freeze();
  }

  /** Resumes a paused member. */
  public void thaw(Member m) {
    m.node.thaw();
    m.hooks.thaw();
  }

  /**
   * Runs virtual time until the condition holds.
   *
   * @throws AssertionError naming the description if it does not hold within the wait limit
   */
  public void await(String description, BooleanSupplier condition) {
    if (!time.runUntil(condition, awaitLimit)) {
      throw new AssertionError("not within " + awaitLimit + " of virtual time: " + description);
    }
  }

  /** Lets virtual time run for the duration. */
  public void runFor(Duration duration) {
    time.runFor(duration);
  }

  /** Closes every member that is still running (gracefully) and lets the goodbyes go out. */
  @Override
  public void close() {
    for (Member m : members) {
      if (!m.node.isCrashed()) {
        m.supervisor.close();
      }
    }
    time.runFor(Duration.ofMillis(100));
  }
}
