package io.habitat.benchmarks.raft;

import io.habitat.test.process.ChildProcess;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.Role;
import org.jgroups.util.NameCache;

/**
 * A jgroups-raft member in its own JVM: the leader is the RAFT leader. {@code elected term=T} and
 * {@code revoked term=T} come from RAFT's role listener; {@code leader id=NAME} reports the leader
 * this member knows of, which RAFT offers no callback for: a thread reads it every 5 ms until one
 * is known, then every 50 ms.
 *
 * <pre>
 * RaftMember --name m1 --members m1,m2,m3 --ring NAME --port FIRST --own-port P --data DIR
 * </pre>
 *
 * <p>The stack is JGroups' {@code tcp.xml} with jgroups-raft's protocols at their defaults ({@link
 * RaftStack}); the RAFT log is jgroups-raft's default (a file-based log) in {@code DIR}. The member
 * speaks the same events and commands as the benchmarks' other members ({@code jvm}, {@code ready},
 * {@code leader}, {@code elected}, {@code revoked}, and {@code stats heap-bytes=B threads=N} on the
 * command {@code stats}). Role changes arrive on RAFT's threads; each event is one short line. Runs
 * until {@code close} (a graceful leave), the end of standard input or the max lifetime.
 */
public final class RaftMember {

  private RaftMember() {}

  /** Runs the member; see the class comment. */
  public static void main(String[] args) throws Exception {
    ChildProcess.event("jvm", "cpu-ms", cpuMillis());
    Map<String, String> options = options(args);
    String name = required(options, "name");
    String members = required(options, "members");
    int firstPort = Integer.parseInt(required(options, "port"));
    int ownPort = Integer.parseInt(required(options, "own-port"));
    String xml =
        RaftStack.xml(
            JChannel.class.getClassLoader(),
            firstPort,
            members.split(",", -1).length,
            ownPort,
            Map.of(),
            Map.of("members", members, "raft_id", name, "log_dir", required(options, "data")));
    JChannel channel =
        new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).name(name);
    RAFT raft = channel.getProtocolStack().findProtocol(RAFT.class);
    raft.addRoleListener(new RoleWatch(raft));
    ChildProcess.onCommand("stats", argument -> reportStats());
    ChildProcess.onClose(channel::close);
    ChildProcess.install();
    channel.connect(required(options, "ring"));
    ChildProcess.event("ready", "member", name);
    String known = "none";
    while (true) {
      Address leader = raft.leader();
      String now = leader == null ? "none" : Objects.requireNonNullElse(NameCache.get(leader), "?");
      if (!now.equals(known)) {
        known = now;
        ChildProcess.event("leader", "id", now);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(known.equals("none") ? 5 : 50));
    }
  }

  /** Turns RAFT's role changes into {@code elected} and {@code revoked} events. */
  private static final class RoleWatch implements RAFT.RoleChange {
    private final RAFT raft;
    private boolean leading;

    RoleWatch(RAFT raft) {
      this.raft = raft;
    }

    @Override
    public synchronized void roleChanged(Role role) {
      if (role == Role.Leader && !leading) {
        leading = true;
        ChildProcess.event("elected", "term", raft.currentTerm());
      } else if (role != Role.Leader && leading) {
        leading = false;
        ChildProcess.event("revoked", "term", raft.currentTerm());
      }
    }
  }

  private static void reportStats() {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    ChildProcess.event("stats", "heap-bytes", heap, "threads", threads);
  }

  private static long cpuMillis() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
  }

  private static Map<String, String> options(String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option, got '" + args[i] + "'");
      }
      values.put(args[i].substring(2), args[i + 1]);
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
}
