package io.habitat.benchmarks.members;

import io.habitat.test.process.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * An Apache Curator {@link LeaderLatch} participant in its own JVM, on the ZooKeeper server of
 * {@link ZooKeeperServer}. {@code elected} and {@code revoked} come from the latch's {@link
 * LeaderLatchListener}.
 *
 * <pre>
 * CuratorMember --name m1 --connect 127.0.0.1:PORT --path /latch [--session-ms N]
 * </pre>
 *
 * <p>Without {@code --session-ms} the client asks for Curator's default session (60 s), which the
 * server caps at its maximum; {@code ready session-ms=S} reports what was granted. A participant
 * learns who leads only by asking ZooKeeper: until it knows, a thread asks every 5 ms and reports
 * {@code leader id=NAME}; then it stops asking (so that an idle member sends nothing more than its
 * session's pings). Runs until {@code close} (the latch and the session are closed), the end of
 * standard input or the max lifetime.
 */
public final class CuratorMember {

  private CuratorMember() {}

  /** Runs the member; see the class comment. */
  public static void main(String[] args) throws Exception {
    MemberSupport.jvmStarted();
    Map<String, String> options = MemberSupport.options(args);
    String name = MemberSupport.required(options, "name");
    CuratorFrameworkFactory.Builder builder =
        CuratorFrameworkFactory.builder()
            .connectString(MemberSupport.required(options, "connect"))
            .retryPolicy(new ExponentialBackoffRetry(100, 10));
    String session = options.get("session-ms");
    if (session != null) {
      builder.sessionTimeoutMs(Integer.parseInt(session));
    }
    CuratorFramework client = builder.build();
    LeaderLatch latch = new LeaderLatch(client, MemberSupport.required(options, "path"), name);
    latch.addListener(
        new LeaderLatchListener() {
          @Override
          public void isLeader() {
            ChildProcess.event("elected");
          }

          @Override
          public void notLeader() {
            ChildProcess.event("revoked");
          }
        });
    MemberSupport.installStatsCommand();
    ChildProcess.onClose(
        () -> {
          try {
            latch.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            client.close();
          }
        });
    ChildProcess.install();
    client.start();
    if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
      System.err.println("CuratorMember " + name + ": no ZooKeeper connection within 30 s");
      System.exit(1);
    }
    latch.start();
    ChildProcess.event(
        "ready",
        "member",
        name,
        "session-ms",
        client.getZookeeperClient().getZooKeeper().getSessionTimeout());
    while (true) {
      Participant leader = latch.getLeader();
      if (leader.isLeader()) {
        ChildProcess.event("leader", "id", leader.getId());
        break;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    ChildProcess.blockUntilExit();
  }
}
