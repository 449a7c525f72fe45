package io.habitat.benchmarks;

import io.habitat.benchmarks.members.MemberSupport;
import io.habitat.core.Census;
import io.habitat.core.HabitatException;
import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import io.habitat.jgroups.JGroupsTransport;
import io.habitat.jgroups.Preset;
import io.habitat.test.process.ChildProcess;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One member of a leader group in its own JVM, for {@link Bench} and {@link FailoverBenchmark}:
 * like the quickstart's member, plus the events that show where the time goes. Every event carries
 * this JVM's wall clock ({@link System#currentTimeMillis()}), which all JVMs of one machine share.
 *
 * <pre>
 * BenchmarkMember --name m1 --ring NAME --port BASE --ports N --data DIR
 *                 [--preset loopback|lan|tcp] [--stack FILE] [--bootstrap K]
 * </pre>
 *
 * <p>Events: {@code jvm started-ms=T cpu-ms=C} as {@code main} begins ({@code T}: the JVM's own
 * start time; {@code C}: the CPU time the JVM has used so far); {@code connecting cpu-ms=C} as the
 * supervisor, built, starts to join the ring; {@code view id=CREATOR:N size=S} for every ring view
 * the transport delivers; {@code started} once the supervisor runs; {@code census leader=ID term=T
 * members=a,b voters=a,b,c role=R} whenever they change; {@code elected term=T} and {@code revoked
 * term=T}. Commands: {@code yield}; {@code close} (graceful close, exit 0).
 *
 * <p>It also speaks the events every contender's member speaks for {@link Bench} (see {@link
 * MemberSupport}): {@code ready} once started, {@code leader id=NAME} whenever the census names
 * another leader (or none), and {@code stats} on the command {@code stats}.
 *
 * <p>With {@code --preset tcp} the initial hosts are 127.0.0.1 at the block's first port (probed
 * over the block); with {@code --preset lan}, 127.0.0.1 and a multicast group and port derived from
 * the port block. {@code --stack FILE} uses a JGroups XML file instead of a preset (to compare a
 * variant), with the loopback preset's variables.
 */
public final class BenchmarkMember {

  private BenchmarkMember() {}

  /** Runs the member until {@code close}, the end of standard input or the max lifetime. */
  public static void main(String[] args) {
    long jvmStarted = ManagementFactory.getRuntimeMXBean().getStartTime();
    ChildProcess.event("jvm", "started-ms", jvmStarted, "cpu-ms", cpuMillis());
    Map<String, String> options = parse(args);
    String name = required(options, "name");
    String ring = required(options, "ring");
    int port = Integer.parseInt(required(options, "port"));
    int ports = Integer.parseInt(required(options, "ports"));
    int bootstrap = Integer.parseInt(options.getOrDefault("bootstrap", "3"));

    JGroupsTransport.Builder jgroups =
        JGroupsTransport.builder()
            .ringName(ring)
            .bindAddress("127.0.0.1")
            .bindPort(port)
            .portRange(ports)
            .memberName(name);
    String stack = options.get("stack");
    if (stack != null) {
      jgroups.stack(Path.of(stack));
    } else {
      Preset preset = Preset.parse(options.getOrDefault("preset", "loopback"));
      jgroups.preset(preset);
      if (preset == Preset.TCP) {
        jgroups.initialHosts(List.of("127.0.0.1:" + port));
      } else if (preset == Preset.LAN) {
        jgroups.multicastAddress("239.77.0." + (port % 250 + 1)).multicastPort(port + 200);
      }
    }
    Supervisor supervisor =
        Supervisor.builder()
            .name(name)
            .transport(new ViewReporting(jgroups.build()))
            .dataDirectory(Path.of(required(options, "data")))
            .build();
    Service service =
        supervisor.register(
            ServiceConfig.builder(ServiceGroup.parse("bench.default"))
                .topology(Topology.LEADER)
                .memberId(MemberId.of(name))
                .bootstrapSize(bootstrap)
                .build());
    service.addListener(new Reporter());
    ChildProcess.onCommand("yield", argument -> service.yieldLeadership());
    MemberSupport.installStatsCommand();
    ChildProcess.onClose(supervisor::close);
    ChildProcess.install();
    ChildProcess.event("connecting", "member", name, "cpu-ms", cpuMillis());
    try {
      supervisor.start();
    } catch (HabitatException e) {
      System.err.println("BenchmarkMember " + name + ": cannot start: " + e.getMessage());
      e.printStackTrace();
      supervisor.close();
      System.exit(1);
      return;
    }
    ChildProcess.event("started", "member", name, "cpu-ms", cpuMillis());
    ChildProcess.event("ready", "member", name);
    ChildProcess.blockUntilExit();
  }

  /** The CPU time this JVM has used so far, all threads, or -1 where the OS does not say. */
  private static long cpuMillis() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option, got '" + args[i] + "'");
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
    }
    return values;
  }

  private static String required(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null) {
      throw new IllegalArgumentException("option --" + key + " is required");
    }
    return value;
  }

  /** Reports every view the transport delivers, then hands it on. */
  private static final class ViewReporting implements Transport {
    private final Transport delegate;

    ViewReporting(Transport delegate) {
      this.delegate = delegate;
    }

    @Override
    public void start(Receiver receiver) {
      delegate.start(
          new Receiver() {
            @Override
            public void onView(RingView view) {
              ChildProcess.event(
                  "view",
                  "id",
                  view.id().creator().id() + ":" + view.id().sequence(),
                  "size",
                  view.members().size(),
                  "merge",
                  view.isMerge());
              receiver.onView(view);
            }

            @Override
            public void onMessage(RingAddress from, byte[] message) {
              receiver.onMessage(from, message);
            }
          });
    }

    @Override
    public RingAddress localAddress() {
      return delegate.localAddress();
    }

    @Override
    public void send(RingAddress to, byte[] message) {
      delegate.send(to, message);
    }

    @Override
    public void sendToAll(byte[] message) {
      delegate.sendToAll(message);
    }

    @Override
    public int maxMessageSize() {
      return delegate.maxMessageSize();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** Turns the service's callbacks into events. */
  private static final class Reporter implements ServiceListener {
    private String lastCensus = "";
    private String lastLeader = "none";

    @Override
    public void elected(LeaderContext context) {
      ChildProcess.event("elected", "term", context.term().value());
    }

    @Override
    public void revoked(LeaderContext context) {
      ChildProcess.event("revoked", "term", context.term().value());
    }

    @Override
    public synchronized void censusChanged(Census census) {
      String leader = census.leaderId().map(MemberId::value).orElse("none");
      if (!leader.equals(lastLeader)) {
        lastLeader = leader;
        ChildProcess.event("leader", "id", leader);
      }
      List<String> alive = new ArrayList<>();
      census.members().stream()
          .filter(m -> m.state() == MemberState.ALIVE || m.state() == MemberState.SUSPECT)
          .forEach(m -> alive.add(m.id().value()));
      String members = alive.isEmpty() ? "none" : String.join(",", alive);
      String voters =
          census.voters().stream().map(MemberId::value).collect(Collectors.joining(","));
      String key = leader + " " + census.term().value() + " " + members + " " + voters;
      if (key.equals(lastCensus)) {
        return;
      }
      lastCensus = key;
      ChildProcess.event(
          "census",
          "leader",
          leader,
          "term",
          census.term().value(),
          "members",
          members,
          "voters",
          voters.isEmpty() ? "none" : voters,
          "role",
          census.role().configName());
    }
  }
}
