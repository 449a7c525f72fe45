package io.habitat.benchmarks.members;

import io.habitat.test.process.ChildProcess;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.util.NameCache;

/**
 * A plain JGroups member in its own JVM: the leader is the view's coordinator (its first member),
 * as an application on JGroups alone would elect one. {@code elected term=V} when this member
 * becomes coordinator of view {@code V}, {@code revoked} when a later view names another.
 *
 * <pre>
 * JGroupsMember --name m1 --ring NAME --port FIRST --members 3 --own-port P [--stack stock|tuned]
 * </pre>
 *
 * <p>The stack is JGroups' {@code tcp.xml} ({@link StockTcpStack}); {@code tuned} changes it as
 * {@link StockTcpStack#TUNED} says. Views arrive on a JGroups thread under its membership lock; the
 * events are written there, one short line each. Runs until {@code close} (a graceful leave), the
 * end of standard input or the max lifetime.
 */
public final class JGroupsMember {

  private JGroupsMember() {}

  /** Runs the member; see the class comment. */
  public static void main(String[] args) throws Exception {
    MemberSupport.jvmStarted();
    Map<String, String> options = MemberSupport.options(args);
    String name = MemberSupport.required(options, "name");
    int firstPort = Integer.parseInt(MemberSupport.required(options, "port"));
    int members = Integer.parseInt(MemberSupport.required(options, "members"));
    int ownPort = Integer.parseInt(MemberSupport.required(options, "own-port"));
    String variant = options.getOrDefault("stack", "stock");
    Map<String, Map<String, String>> changes =
        switch (variant) {
          case "stock" -> Map.of();
          case "tuned" -> StockTcpStack.TUNED;
          default ->
              throw new IllegalArgumentException(
                  "--stack must be stock or tuned, was '" + variant + "'");
        };
    String xml =
        StockTcpStack.xml(JChannel.class.getClassLoader(), firstPort, members, ownPort, changes);
    JChannel channel =
        new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).name(name);
    CoordinatorWatch watch = new CoordinatorWatch(channel);
    channel.setReceiver(watch);
    MemberSupport.installStatsCommand();
    ChildProcess.onClose(channel::close);
    ChildProcess.install();
    channel.connect(MemberSupport.required(options, "ring"));
    ChildProcess.event("ready", "member", name);
    ChildProcess.blockUntilExit();
  }

  /** Turns views into {@code leader}, {@code elected} and {@code revoked} events. */
  private static final class CoordinatorWatch implements Receiver {
    private final JChannel channel;
    private boolean leading;
    private String leader = "none";

    CoordinatorWatch(JChannel channel) {
      this.channel = channel;
    }

    @Override
    public synchronized void viewAccepted(View view) {
      Address coordinator = view.getCoord();
      String name = Objects.requireNonNullElse(NameCache.get(coordinator), coordinator.toString());
      boolean self = coordinator.equals(channel.getAddress());
      ChildProcess.event("view", "id", view.getViewId().getId(), "size", view.size());
      if (!name.equals(leader)) {
        leader = name;
        ChildProcess.event("leader", "id", name);
      }
      if (self && !leading) {
        leading = true;
        ChildProcess.event("elected", "term", view.getViewId().getId());
      } else if (!self && leading) {
        leading = false;
        ChildProcess.event("revoked", "term", view.getViewId().getId());
      }
    }
  }
}
