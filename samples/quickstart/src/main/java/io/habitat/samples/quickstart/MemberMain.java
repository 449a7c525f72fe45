package io.habitat.samples.quickstart;

import io.habitat.core.Census;
import io.habitat.core.ConfigFormat;
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
import io.habitat.http.HabitatGateway;
import io.habitat.jgroups.JGroupsTransport;
import io.habitat.jgroups.Preset;
import io.habitat.test.process.ChildProcess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One member of a service group in its own JVM, driven by a {@link
 * io.habitat.test.process.ProcessLauncher}: it joins the ring on 127.0.0.1, runs one service and
 * reports what happens as {@link ChildProcess} events on standard output.
 *
 * <pre>
 * MemberMain --name m1 --ring NAME --port BASE --ports N --data DIR
 *            [--group svc.grp] [--suitability S] [--topology leader] [--bootstrap K]
 *            [--app-port P] [--gateway-port G]
 * </pre>
 *
 * <p>The member exports {@code host=127.0.0.1} and, with {@code --app-port}, {@code port=P}: the
 * address its followers would connect to if it led (a database's primary, say). As a follower it is
 * reconfigured for every new leader: it reads the leader's exports and term, as a replica would to
 * follow a new primary.
 *
 * <p>With {@code --gateway-port}, the member serves the HTTP gateway and live census dashboard of
 * habitat-http on 127.0.0.1 (write calls only with the token in {@code HABITAT_GATEWAY_TOKEN}).
 *
 * <p>Events: {@code started member=NAME address=ADDR} once the supervisor runs; {@code gateway
 * url=URL} once the gateway listens; {@code elected term=T member=NAME} and {@code revoked term=T
 * member=NAME} as this member's leadership begins and ends; {@code reconfigured leader=ID term=T
 * endpoint=HOST:PORT} when it follows a new leader; {@code census leader=ID term=T members=a,b,c
 * voters=a,b,c role=R health=H exports=k:v,k:v} whenever the leader, the term, the live members
 * (alive or suspect), the voters, this member's role, health or exports change ({@code none} for an
 * empty value); {@code config version=N term=T} when a group config is applied; {@code refused
 * command=C reason=...} when a command is refused; {@code failed reason=...} if the service stops
 * on an error.
 *
 * <p>Commands: {@code yield} hands leadership on ({@link Service#yieldLeadership()}); {@code config
 * VERSION TOML} applies a group config (for example {@code config 2 greeting = "hi"}); {@code
 * depart ID} departs a member for good ({@link Service#depart}); {@code close} closes the
 * supervisor (leaving the group gracefully) and exits with 0.
 */
public final class MemberMain {

  private MemberMain() {}

  /**
   * Runs the member until the {@code close} command, the end of standard input or the launcher's
   * max lifetime.
   */
  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("MemberMain: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }

    Supervisor supervisor =
        Supervisor.builder()
            .name(options.name)
            .transport(
                JGroupsTransport.builder()
                    .ringName(options.ring)
                    .preset(Preset.LOOPBACK)
                    .bindPort(options.port)
                    .portRange(options.ports)
                    .memberName(options.name)
                    .build())
            .dataDirectory(options.data)
            .build();
    Map<String, String> exports = new TreeMap<>();
    exports.put("host", "127.0.0.1");
    if (options.appPort > 0) {
      exports.put("port", Integer.toString(options.appPort));
    }
    ServiceConfig config =
        ServiceConfig.builder(options.group)
            .topology(options.topology)
            .memberId(MemberId.of(options.name))
            .suitability(options.suitability)
            .bootstrapSize(options.bootstrap)
            .exports(exports)
            .onReconfigure(
                leader ->
                    ChildProcess.event(
                        "reconfigured",
                        "leader",
                        leader.id().value(),
                        "term",
                        leader.term().value(),
                        "endpoint",
                        leader.exports().getOrDefault("host", "?")
                            + ":"
                            + leader.exports().getOrDefault("port", "?")))
            .onGroupConfig(
                applied ->
                    ChildProcess.event(
                        "config", "version", applied.version(), "term", applied.term().value()))
            .build();
    Service service = supervisor.register(config);
    service.addListener(new Reporter(options.name));

    ChildProcess.onCommand("yield", argument -> service.yieldLeadership());
    ChildProcess.onCommand("config", argument -> applyConfig(service, argument));
    ChildProcess.onCommand(
        "depart",
        argument -> {
          try {
            service
                .depart(MemberId.of(argument.strip()))
                .whenComplete((ok, error) -> refusedIf("depart", error));
          } catch (IllegalArgumentException e) {
            refusedIf("depart", e);
          }
        });
    ChildProcess.onClose(supervisor::close);
    ChildProcess.install();

    try {
      supervisor.start();
    } catch (HabitatException e) {
      System.err.println("MemberMain " + options.name + ": cannot start: " + e.getMessage());
      e.printStackTrace();
      supervisor.close();
      System.exit(1);
      return;
    }
    ChildProcess.event("started", "member", options.name, "address", supervisor.address().id());
    if (options.gatewayPort > 0) {
      HabitatGateway.Builder gateway = HabitatGateway.builder(supervisor).port(options.gatewayPort);
      String token = System.getenv("HABITAT_GATEWAY_TOKEN");
      if (token != null && !token.isBlank()) {
        gateway.token(token);
      }
      HabitatGateway started = gateway.start();
      ChildProcess.onClose(
          () -> {
            started.close();
            supervisor.close();
          });
      ChildProcess.event("gateway", "url", started.uri());
    }
    ChildProcess.blockUntilExit();
  }

  /** {@code config VERSION TOML}: applies a group config; a bad one is refused with the reason. */
  private static void applyConfig(Service service, String argument) {
    String[] parts = argument.strip().split("\\s+", 2);
    try {
      if (parts.length < 2) {
        throw new IllegalArgumentException(
            "usage: config VERSION TOML, for example: config 2 greeting = \"hi\"");
      }
      long version = Long.parseLong(parts[0]);
      service
          .applyConfig(version, ConfigFormat.TOML, parts[1] + "\n")
          .whenComplete((ok, error) -> refusedIf("config", error));
    } catch (IllegalArgumentException e) {
      refusedIf("config", e);
    }
  }

  private static void refusedIf(String command, @Nullable Throwable error) {
    if (error == null) {
      return;
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    ChildProcess.event(
        "refused",
        "command",
        command,
        "reason",
        String.valueOf(cause.getMessage()).replaceAll("\\s+", "_"));
  }

  /** Turns the service's callbacks into events; runs one callback at a time (hook executor). */
  private static final class Reporter implements ServiceListener {
    private final String name;
    private String lastCensus = "";

    Reporter(String name) {
      this.name = name;
    }

    @Override
    public void elected(LeaderContext context) {
      ChildProcess.event("elected", "term", context.term().value(), "member", name);
    }

    @Override
    public void revoked(LeaderContext context) {
      ChildProcess.event("revoked", "term", context.term().value(), "member", name);
    }

    @Override
    public synchronized void censusChanged(Census census) {
      String leader = census.leaderId().map(MemberId::value).orElse("none");
      String members =
          census.members().stream()
              .filter(m -> m.state() == MemberState.ALIVE || m.state() == MemberState.SUSPECT)
              .map(m -> m.id().value())
              .collect(Collectors.joining(","));
      String voters =
          census.voters().stream().map(MemberId::value).collect(Collectors.joining(","));
      Census.Member self = census.selfMember();
      String health = self.health().name();
      String exports =
          new TreeMap<>(self.exports())
              .entrySet().stream()
                  .map(e -> e.getKey() + ":" + e.getValue().replaceAll("\\s+", "_"))
                  .collect(Collectors.joining(","));
      String key =
          String.join(
              " ",
              leader,
              Long.toString(census.term().value()),
              members,
              voters,
              census.role().configName(),
              health,
              exports);
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
          members.isEmpty() ? "none" : members,
          "voters",
          voters.isEmpty() ? "none" : voters,
          "role",
          census.role().configName(),
          "health",
          health,
          "exports",
          exports.isEmpty() ? "none" : exports);
    }

    @Override
    public void failed(HabitatException error) {
      ChildProcess.event(
          "failed",
          "member",
          name,
          "reason",
          String.valueOf(error.getMessage()).replaceAll("\\s+", "_"));
    }
  }

  /** The command line, checked. */
  private static final class Options {
    static final String USAGE =
        "usage: MemberMain --name NAME --ring RING --port BASE --ports N --data DIR"
            + " [--group service.group] [--suitability S] [--topology leader] [--bootstrap K]"
            + " [--app-port P] [--gateway-port G]";

    final String name;
    final String ring;
    final int port;
    final int ports;
    final Path data;
    final ServiceGroup group;
    final long suitability;
    final Topology topology;
    final int bootstrap;
    final int appPort;
    final int gatewayPort;

    private Options(Map<String, String> values) {
      this.name = required(values, "name");
      this.ring = required(values, "ring");
      this.port = (int) number(values, "port", -1);
      this.ports = (int) number(values, "ports", -1);
      this.data = Path.of(required(values, "data"));
      this.group = ServiceGroup.parse(values.getOrDefault("group", "demo.default"));
      this.suitability = number(values, "suitability", 0);
      this.topology = Topology.parse(values.getOrDefault("topology", "leader"));
      this.bootstrap = (int) number(values, "bootstrap", 2);
      this.appPort = (int) number(values, "app-port", 0);
      this.gatewayPort = (int) number(values, "gateway-port", 0);
    }

    static Options parse(String[] args) {
      List<String> known =
          List.of(
              "name",
              "ring",
              "port",
              "ports",
              "data",
              "group",
              "suitability",
              "topology",
              "bootstrap",
              "app-port",
              "gateway-port");
      Map<String, String> values = new HashMap<>();
      for (int i = 0; i < args.length; i += 2) {
        String flag = args[i];
        if (!flag.startsWith("--") || !known.contains(flag.substring(2))) {
          throw new IllegalArgumentException("unknown option '" + flag + "'");
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + flag + " needs a value");
        }
        if (values.put(flag.substring(2), args[i + 1]) != null) {
          throw new IllegalArgumentException("option " + flag + " was given twice");
        }
      }
      return new Options(values);
    }

    private static String required(Map<String, String> values, String key) {
      String value = values.get(key);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("option --" + key + " is required");
      }
      return value;
    }

    /** The option's value as a number; {@code fallback} if absent, required if that is -1. */
    private static long number(Map<String, String> values, String key, long fallback) {
      String value = values.get(key);
      if (value == null) {
        if (fallback == -1) {
          throw new IllegalArgumentException("option --" + key + " is required");
        }
        return fallback;
      }
      try {
        long number = Long.parseLong(value.strip());
        boolean zeroAllowed =
            (key.endsWith("port") && !key.equals("port")) || key.equals("suitability");
        if (zeroAllowed ? number < 0 : number < 1 || number > Integer.MAX_VALUE) {
          throw new NumberFormatException();
        }
        return number;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "option --" + key + " must be a positive number, was '" + value + "'", e);
      }
    }
  }
}
