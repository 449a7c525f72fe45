package io.habitat.benchmarks.members;

import io.habitat.test.process.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A standalone ZooKeeper server in its own JVM for the Curator contender: curator-test's {@link
 * TestingServer} with ZooKeeper's sample configuration's {@code tickTime} of 2 s, so the server
 * grants sessions of 2 s ({@code minSessionTimeout}, which TestingServer sets to one tick) to 40 s
 * ({@code maxSessionTimeout}, ZooKeeper's default of 20 ticks). Its client port listens on
 * 127.0.0.1 only.
 *
 * <pre>
 * ZooKeeperServer --port P --data DIR
 * </pre>
 *
 * <p>Reports {@code ready port=P min-session-ms=A max-session-ms=B} once it serves, answers {@code
 * stats}, and stops on {@code close}, the end of standard input or the max lifetime.
 */
public final class ZooKeeperServer {

  /** The tick of ZooKeeper's sample configuration (conf/zoo_sample.cfg). */
  public static final int TICK_MILLIS = 2000;

  private ZooKeeperServer() {}

  /** Runs the server; see the class comment. */
  public static void main(String[] args) throws Exception {
    MemberSupport.jvmStarted();
    Map<String, String> options = MemberSupport.options(args);
    int port = Integer.parseInt(MemberSupport.required(options, "port"));
    File data = new File(MemberSupport.required(options, "data"));
    InstanceSpec spec =
        new InstanceSpec(
            data,
            port,
            -1,
            -1,
            true,
            -1,
            TICK_MILLIS,
            -1,
            Map.<String, Object>of("clientPortAddress", "127.0.0.1"),
            "127.0.0.1");
    TestingServer server = new TestingServer(spec, true);
    MemberSupport.installStatsCommand();
    ChildProcess.onClose(
        () -> {
          try {
            server.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    ChildProcess.install();
    ChildProcess.event(
        "ready",
        "port",
        server.getPort(),
        "min-session-ms",
        TICK_MILLIS,
        "max-session-ms",
        20 * TICK_MILLIS);
    ChildProcess.blockUntilExit();
  }
}
