package io.habitat.samples.quickstart;

import io.habitat.test.process.FreePorts;
import io.habitat.test.process.MemberProcess;
import io.habitat.test.process.ProcessEvent;
import io.habitat.test.process.ProcessLauncher;
import io.habitat.test.process.ProcessTimeoutException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The README's main job: a local group of three members, each a {@link MemberMain} JVM on 127.0.0.1
 * over the JGroups loopback preset, that you watch elect a leader, lose it to {@code kill -9},
 * elect a new one and reconfigure the followers for it.
 *
 * <pre>
 * Quickstart                 the scripted run below, then exit
 * Quickstart --interactive   start the group and take commands from the keyboard
 * Quickstart --gateway ...   also serve each member's live census dashboard (habitat-http)
 * </pre>
 *
 * <p>The scripted run prints every member's events as they happen and the census table (member,
 * role, term, health, exports, whom it follows) at each step: the first election, a group config
 * applied through the leader, the leader killed with {@code kill -9}, the survivors' election and
 * the followers' reconfiguration for the new leader. It then stops every process it started and
 * ends with one line:
 *
 * <pre>
 * quickstart: members=3 failover-ms=&lt;ms&gt; leader=&lt;member id&gt; term=&lt;term&gt;
 * </pre>
 *
 * <p>where the failover time runs from the kill to the new leader's {@code elected} event, both by
 * this machine's wall clock. Exits with 0 on success, 1 with the reason on standard error
 * otherwise. Every wait is bounded ({@link #WAIT}); every member JVM is stopped (by PID) before it
 * exits, whatever happens.
 */
public final class Quickstart {

  /** How long each step may take at most. */
  static final Duration WAIT = Duration.ofSeconds(30);

  static final int MEMBERS = 3;
  private static final int PORTS = 10;
  private static final String GROUP = "demo.default";
  private static final Duration SLICE = Duration.ofMillis(50);

  static final String USAGE = "usage: Quickstart [--interactive] [--gateway]";

  static final String HELP =
      """
      commands:
        table                 print the census table
        kill MEMBER           kill -9 a member
        freeze MEMBER         kill -STOP a member (it wakes with 'thaw')
        thaw MEMBER           kill -CONT a frozen member
        start MEMBER          start a member again (a killed one, on its data directory)
        yield                 the leader hands leadership on
        config VERSION TOML   apply a group config, e.g.: config 2 greeting = "hi"
        depart MEMBER         remove a member from the group for good
        help                  this list
        quit                  stop every member and exit""";

  private Quickstart() {}

  /** Runs the quickstart; see the class comment. */
  public static void main(String[] args) {
    boolean interactive = false;
    boolean gateway = false;
    for (String arg : args) {
      if (arg.equals("--interactive") || arg.equals("-i")) {
        interactive = true;
      } else if (arg.equals("--gateway")) {
        gateway = true;
      } else if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(USAGE);
        System.out.println(HELP);
        System.exit(0);
      } else {
        System.err.println("Quickstart: unknown option '" + arg + "'");
        System.err.println(USAGE);
        System.exit(2);
      }
    }
    int status;
    try {
      if (interactive) {
        interactive(System.in, System.out, gateway);
      } else {
        Outcome outcome = run(System.out, gateway);
        System.out.println(outcome.line());
      }
      status = 0;
    } catch (QuickstartFailure | RuntimeException e) {
      System.out.flush();
      System.err.println("quickstart failed: " + e.getMessage());
      if (!(e instanceof QuickstartFailure)) {
        e.printStackTrace();
      }
      status = 1;
    }
    System.exit(status);
  }

  /** The result: the failover time, and the leader and term the survivors agreed on. */
  record Outcome(long failoverMillis, String leader, long term) {
    /** The quickstart's last line. */
    String line() {
      return String.format(
          Locale.ROOT,
          "quickstart: members=%d failover-ms=%d leader=%s term=%d",
          MEMBERS,
          failoverMillis,
          leader,
          term);
    }
  }

  /** The run did not go as expected; the message says what happened. */
  static final class QuickstartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    QuickstartFailure(String message) {
      super(message);
    }
  }

  /** The scripted run; see the class comment. */
  static Outcome run(PrintStream out, boolean gateway) throws QuickstartFailure {
    try (LocalGroup group = LocalGroup.create(out, gateway)) {
      try {
        return script(out, group);
      } catch (ProcessTimeoutException | QuickstartFailure e) {
        throw new QuickstartFailure(
            e.getMessage() + " (member logs in " + group.launcher.logDirectory() + ")");
      }
    }
  }

  private static Outcome script(PrintStream out, LocalGroup group) throws QuickstartFailure {
    for (int i = 1; i <= MEMBERS; i++) {
      group.start("m" + i);
    }
    // Every member also counts all three as voters, so that two survivors are a majority.
    Agreement first = group.awaitAgreement(group.members(), 0, null, true);
    group.awaitReconfigured(first);
    out.println();
    out.printf(
        Locale.ROOT,
        "== all %d members follow %s in term %d%n",
        MEMBERS,
        first.leader(),
        first.term());
    group.printTable();

    out.println();
    out.printf(
        Locale.ROOT, "== %s applies group config version 1 for the whole group%n", first.leader());
    MemberProcess leader = group.member(first.leader());
    leader.send("config 1 greeting = \"hello from the quickstart\"");
    group.awaitAll(
        "every member applied group config version 1",
        group.members(),
        e -> e.type().equals("config") && e.require("version").equals("1"));

    List<MemberProcess> survivors =
        group.members().stream().filter(m -> m != leader).collect(Collectors.toList());
    out.println();
    out.printf(Locale.ROOT, "== kill -9 %s (pid %d), the leader%n", leader.name(), leader.pid());
    long killedAt = System.currentTimeMillis();
    leader.kill();
    group.killed(leader.name());

    Agreement second = group.awaitAgreement(survivors, first.term(), leader.name(), false);
    MemberProcess newLeader = group.member(second.leader());
    ProcessEvent elected =
        newLeader.awaitEvent(
            "elected", e -> Long.parseLong(e.require("term")) > first.term(), WAIT);
    group.awaitReconfigured(second);
    long failover = elected.wallMillis() - killedAt;
    out.println();
    out.printf(
        Locale.ROOT,
        "== %s leads term %d, elected %d ms after the kill; its followers were reconfigured for"
            + " it%n",
        second.leader(),
        second.term(),
        failover);
    group.printTable();

    out.println();
    for (MemberProcess survivor : survivors) {
      int code = survivor.closeGracefully(WAIT);
      group.pump();
      out.printf(Locale.ROOT, "closed %s gracefully (exit code %d)%n", survivor.name(), code);
      if (code != 0) {
        throw new QuickstartFailure(
            "member " + survivor.name() + " exited with " + code + " on close, expected 0");
      }
    }
    return new Outcome(failover, second.leader(), second.term());
  }

  /**
   * The interactive run: starts the group, prints the census table whenever it changes, and runs
   * the commands of {@link #HELP} read from {@code in} until {@code quit} or the end of input.
   */
  static void interactive(InputStream in, PrintStream out, boolean gateway)
      throws QuickstartFailure {
    BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  commands.add(line);
                }
              } catch (IOException e) {
                // treated as the end of input
              }
              commands.add("quit");
            },
            "quickstart-keyboard");
    reader.setDaemon(true);
    try (LocalGroup group = LocalGroup.create(out, gateway)) {
      out.println("Welcome to the Habitat quickstart. Three members start now; watch them elect.");
      if (gateway) {
        out.println(
            "Each member serves its live census dashboard (the URLs follow): open one, then kill"
                + " the leader here and watch the failover there.");
      }
      out.println(HELP);
      for (int i = 1; i <= MEMBERS; i++) {
        group.start("m" + i);
      }
      reader.start();
      String table = "";
      while (true) {
        group.waitForEvents();
        group.pump();
        String now = group.table();
        if (!now.equals(table)) {
          table = now;
          out.print(now);
        }
        String command = commands.poll();
        if (command == null) {
          continue;
        }
        if (!execute(out, group, command.strip())) {
          out.println("stopping every member");
          return;
        }
      }
    }
  }

  /** Runs one command; returns false on {@code quit}. */
  private static boolean execute(PrintStream out, LocalGroup group, String command) {
    String[] words = command.split("\\s+", 2);
    String verb = words[0].toLowerCase(Locale.ROOT);
    String argument = words.length > 1 ? words[1].strip() : "";
    try {
      return switch (verb) {
        case "" -> true;
        case "quit", "exit" -> false;
        case "help" -> {
          out.println(HELP);
          yield true;
        }
        case "table" -> {
          out.print(group.table());
          yield true;
        }
        case "kill" -> {
          MemberProcess m = group.running(argument);
          out.printf(Locale.ROOT, "kill -9 %s (pid %d)%n", m.name(), m.pid());
          m.kill();
          group.killed(m.name());
          yield true;
        }
        case "freeze" -> {
          MemberProcess m = group.running(argument);
          out.printf(Locale.ROOT, "kill -STOP %s (pid %d)%n", m.name(), m.pid());
          m.freeze();
          yield true;
        }
        case "thaw" -> {
          MemberProcess m = group.running(argument);
          out.printf(Locale.ROOT, "kill -CONT %s (pid %d)%n", m.name(), m.pid());
          m.resume();
          yield true;
        }
        case "start" -> {
          if (!argument.matches("m[1-9]")) {
            throw new IllegalArgumentException("name a member m1..m9, for example: start m1");
          }
          if (group.isRunning(argument)) {
            throw new IllegalArgumentException(argument + " is running; kill it first");
          }
          group.start(argument);
          yield true;
        }
        case "yield" -> {
          MemberProcess leader = group.leader();
          out.printf(Locale.ROOT, "%s yields%n", leader.name());
          leader.send("yield");
          yield true;
        }
        case "config" -> {
          if (argument.isEmpty()) {
            throw new IllegalArgumentException("usage: config VERSION TOML");
          }
          group.anyRunning().send("config " + argument);
          yield true;
        }
        case "depart" -> {
          if (argument.isEmpty()) {
            throw new IllegalArgumentException("usage: depart MEMBER");
          }
          group.anyRunning(argument).send("depart " + argument);
          yield true;
        }
        default -> throw new IllegalArgumentException("unknown command '" + verb + "'; type help");
      };
    } catch (IllegalArgumentException | IllegalStateException e) {
      out.println("! " + e.getMessage());
      return true;
    }
  }

  /** The leader and term all of a set of members report in their latest census. */
  record Agreement(String leader, long term) {}

  /** The member JVMs of one local group, and what they reported. */
  static final class LocalGroup implements AutoCloseable {
    private final PrintStream out;
    private final ProcessLauncher launcher;
    private final Path dataRoot;
    private final String ring;
    private final int base;
    private final int gatewayBase;
    private final long startedAt = System.currentTimeMillis();
    private final Map<String, MemberProcess> members = new LinkedHashMap<>();
    private final Map<MemberProcess, Integer> printed = new LinkedHashMap<>();
    private final List<String> killed = new ArrayList<>();
    private int next;

    private LocalGroup(
        PrintStream out, ProcessLauncher launcher, Path dataRoot, int base, int gatewayBase) {
      this.out = out;
      this.gatewayBase = gatewayBase;
      this.launcher = launcher;
      this.dataRoot = dataRoot;
      this.base = base;
      this.ring = "quickstart-" + base;
    }

    /** With {@code gateway}, each member serves the HTTP gateway and dashboard on a free port. */
    static LocalGroup create(PrintStream out, boolean gateway) {
      Path dataRoot;
      try {
        dataRoot = Files.createTempDirectory("habitat-quickstart-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory", e);
      }
      int base = FreePorts.block(PORTS);
      ProcessLauncher launcher =
          ProcessLauncher.builder().maxLifetime(Duration.ofMinutes(30)).build();
      out.printf(
          Locale.ROOT,
          "starting %d members of %s on 127.0.0.1 ports %d..%d (loopback preset; member logs in"
              + " %s)%n",
          MEMBERS,
          GROUP,
          base,
          base + PORTS - 1,
          launcher.logDirectory());
      return new LocalGroup(out, launcher, dataRoot, base, gateway ? FreePorts.block(9) : 0);
    }

    void start(String name) {
      int index = Integer.parseInt(name.substring(1));
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--name",
                  name,
                  "--ring",
                  ring,
                  "--port",
                  Integer.toString(base),
                  "--ports",
                  Integer.toString(PORTS),
                  "--data",
                  dataRoot.resolve(name).toString(),
                  "--group",
                  GROUP,
                  "--bootstrap",
                  "2",
                  "--app-port",
                  Integer.toString(5431 + index)));
      if (gatewayBase > 0) {
        args.addAll(List.of("--gateway-port", Integer.toString(gatewayBase + index - 1)));
      }
      MemberProcess m = launcher.start(name, MemberMain.class.getName(), args);
      members.put(name, m);
      printed.put(m, 0);
      killed.remove(name);
      out.printf(Locale.ROOT, "started %s (pid %d)%n", name, m.pid());
    }

    void killed(String name) {
      killed.add(name);
    }

    List<MemberProcess> members() {
      return List.copyOf(members.values());
    }

    MemberProcess member(String name) throws QuickstartFailure {
      MemberProcess m = members.get(name);
      if (m == null) {
        throw new QuickstartFailure("no member named " + name);
      }
      return m;
    }

    boolean isRunning(String name) {
      MemberProcess m = members.get(name);
      return m != null && m.isAlive();
    }

    MemberProcess running(String name) {
      MemberProcess m = members.get(name);
      if (m == null || !m.isAlive()) {
        throw new IllegalArgumentException(
            "no running member named '"
                + name
                + "'; running: "
                + members.values().stream()
                    .filter(MemberProcess::isAlive)
                    .map(MemberProcess::name)
                    .collect(Collectors.joining(", ")));
      }
      return m;
    }

    /** A running, unfrozen member, other than {@code not}. */
    MemberProcess anyRunning(String... not) {
      for (MemberProcess m : members.values()) {
        if (m.isAlive() && !m.isFrozen() && !List.of(not).contains(m.name())) {
          return m;
        }
      }
      throw new IllegalStateException("no running member to send the command to; start one");
    }

    /** The member that says it leads, by its own latest census. */
    MemberProcess leader() {
      for (MemberProcess m : members.values()) {
        if (m.isAlive()
            && latestCensus(m).map(e -> e.require("role").equals("leader")).orElse(false)) {
          return m;
        }
      }
      throw new IllegalStateException("no member leads right now");
    }

    /** Blocks a short while for a new event from any member. */
    void waitForEvents() {
      List<MemberProcess> all = members();
      MemberProcess m = all.get(next++ % all.size());
      m.awaitMoreEvents(printed.getOrDefault(m, 0), SLICE);
    }

    /** Prints the members' new events (all but census updates), oldest first per member. */
    void pump() {
      for (MemberProcess m : members()) {
        List<ProcessEvent> events = m.events();
        int from = printed.getOrDefault(m, 0);
        for (ProcessEvent e : events.subList(Math.min(from, events.size()), events.size())) {
          describe(m, e).ifPresent(text -> out.printf(Locale.ROOT, "  %s %s%n", stamp(e), text));
        }
        printed.put(m, events.size());
      }
    }

    private String stamp(ProcessEvent e) {
      return String.format(Locale.ROOT, "+%6.3fs", (e.wallMillis() - startedAt) / 1000.0);
    }

    private static Optional<String> describe(MemberProcess m, ProcessEvent e) {
      String who = String.format(Locale.ROOT, "%-3s", m.name());
      String text =
          switch (e.type()) {
            case "started" -> who + " joined the ring";
            case "gateway" -> who + " dashboard: " + e.require("url");
            case "elected" -> who + " elected: leads term " + e.require("term");
            case "revoked" -> who + " revoked: no longer leads term " + e.require("term");
            case "reconfigured" ->
                who
                    + " reconfigured: follows "
                    + e.require("leader")
                    + " at "
                    + e.require("endpoint")
                    + " (term "
                    + e.require("term")
                    + ")";
            case "config" -> who + " applied group config version " + e.require("version");
            case "refused" ->
                who
                    + " refused "
                    + e.require("command")
                    + ": "
                    + e.require("reason").replace('_', ' ');
            case "failed" -> who + " failed: " + e.require("reason").replace('_', ' ');
            default -> "";
          };
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** The census table, one row per member, each from that member's own latest census. */
    String table() {
      StringBuilder b = new StringBuilder();
      String format = "  %-6s %-8s %-9s %-5s %-8s %-26s %s%n";
      b.append(
          String.format(
              Locale.ROOT,
              format,
              "member",
              "pid",
              "role",
              "term",
              "health",
              "exports",
              "follows"));
      for (MemberProcess m : members.values()) {
        String pid = Long.toString(m.pid());
        if (killed.contains(m.name()) || !m.isAlive()) {
          b.append(String.format(Locale.ROOT, format, m.name(), pid, "down", "-", "-", "-", "-"));
          continue;
        }
        Optional<ProcessEvent> c = latestCensus(m);
        String role = c.map(e -> e.require("role")).orElse("joining");
        if (m.isFrozen()) {
          role = "frozen";
        }
        String leader = c.map(e -> e.require("leader")).orElse("none");
        b.append(
            String.format(
                Locale.ROOT,
                format,
                m.name(),
                pid,
                role,
                c.map(e -> e.require("term")).orElse("-"),
                c.flatMap(e -> e.field("health")).orElse("-"),
                c.flatMap(e -> e.field("exports")).orElse("-").replace(':', '='),
                leader.equals(m.name()) || leader.equals("none") ? "-" : leader));
      }
      return b.toString();
    }

    void printTable() {
      out.print(table());
    }

    /**
     * Waits until every member's latest census names the same leader (one of them, other than
     * {@code excluded}) in the same term above {@code aboveTerm}, and, if {@code allVoters}, lists
     * every one of them as a voter.
     */
    Agreement awaitAgreement(
        List<MemberProcess> group, long aboveTerm, @Nullable String excluded, boolean allVoters)
        throws QuickstartFailure {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        pump();
        Optional<Agreement> agreement = agreement(group, aboveTerm, excluded, allVoters);
        if (agreement.isPresent()) {
          return agreement.get();
        }
        check(group, deadline, "agree on a leader");
        waitForEvents();
      }
    }

    /** Waits until every follower among the leader's live peers was reconfigured for it. */
    void awaitReconfigured(Agreement agreement) throws QuickstartFailure {
      List<MemberProcess> followers =
          members.values().stream()
              .filter(m -> m.isAlive() && !m.name().equals(agreement.leader()))
              .collect(Collectors.toList());
      awaitAll(
          "the followers were reconfigured for " + agreement.leader(),
          followers,
          e ->
              e.type().equals("reconfigured")
                  && e.require("leader").equals(agreement.leader())
                  && Long.parseLong(e.require("term")) == agreement.term());
    }

    /** Waits until every one of the members reported an event that matches. */
    void awaitAll(String what, List<MemberProcess> group, Predicate<ProcessEvent> condition)
        throws QuickstartFailure {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        pump();
        if (group.stream().allMatch(m -> m.events().stream().anyMatch(condition))) {
          return;
        }
        check(group, deadline, what);
        waitForEvents();
      }
    }

    private void check(List<MemberProcess> group, long deadline, String what)
        throws QuickstartFailure {
      for (MemberProcess m : group) {
        if (!m.isAlive()) {
          throw new QuickstartFailure(
              "member " + m.name() + " exited before the members could " + what + "; " + status());
        }
      }
      if (deadline - System.nanoTime() <= 0) {
        throw new QuickstartFailure("not done within " + WAIT + ": " + what + "; " + status());
      }
    }

    private String status() {
      return "latest census of each member: "
          + members.values().stream()
              .map(
                  m ->
                      m.name()
                          + (m.isAlive() ? "" : " (exited)")
                          + ": "
                          + latestCensus(m).map(ProcessEvent::raw).orElse("none"))
              .collect(Collectors.joining("; "));
    }

    private static Optional<Agreement> agreement(
        List<MemberProcess> group, long aboveTerm, @Nullable String excluded, boolean allVoters) {
      Agreement common = null;
      for (MemberProcess member : group) {
        Optional<ProcessEvent> census = latestCensus(member);
        if (census.isEmpty()) {
          return Optional.empty();
        }
        if (allVoters) {
          List<String> voters = List.of(census.get().require("voters").split(","));
          if (!group.stream().allMatch(m -> voters.contains(m.name()))) {
            return Optional.empty();
          }
        }
        Agreement seen =
            new Agreement(
                census.get().require("leader"), Long.parseLong(census.get().require("term")));
        if (common == null) {
          common = seen;
        } else if (!common.equals(seen)) {
          return Optional.empty();
        }
      }
      if (common == null || common.term() <= aboveTerm || common.leader().equals(excluded)) {
        return Optional.empty();
      }
      String leader = common.leader();
      if (group.stream().noneMatch(m -> m.name().equals(leader))) {
        return Optional.empty();
      }
      return Optional.of(common);
    }

    private static Optional<ProcessEvent> latestCensus(MemberProcess member) {
      List<ProcessEvent> all = member.events();
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).type().equals("census")) {
          return Optional.of(all.get(i));
        }
      }
      return Optional.empty();
    }

    /** Stops every member still running (by PID) and deletes the data directories. */
    @Override
    public void close() {
      for (MemberProcess m : members.values()) {
        if (m.isFrozen()) {
          m.resume();
        }
      }
      launcher.close();
      try (Stream<Path> paths = Files.walk(dataRoot)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.deleteIfExists(path);
        }
      } catch (IOException | UncheckedIOException e) {
        out.println("could not delete " + dataRoot + ": " + e);
      }
    }
  }
}
