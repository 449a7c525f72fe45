package io.habitat.http;

import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.Supervisor;
import io.habitat.jgroups.JGroupsTransport;
import io.habitat.jgroups.Preset;
import io.habitat.test.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Supervisors on real JGroups channels of the loopback preset in this JVM, on a port block and a
 * ring name of their own, each with a transport the test can crash. Closes them all.
 */
final class LoopbackRing implements AutoCloseable {

  static final Duration BOUND = Duration.ofSeconds(30);
  private static final int BLOCK = 8;

  private final String ringName = "http-" + Long.toHexString(System.nanoTime());
  private final int basePort = FreePorts.block(BLOCK);
  private final Path directory;
  private final Map<String, Supervisor> supervisors = new LinkedHashMap<>();
  private final Map<String, CrashableTransport> transports = new LinkedHashMap<>();

  LoopbackRing(Path directory) {
    this.directory = directory;
  }

  /** A new supervisor (not started) named {@code name}, with its own data directory. */
  Supervisor supervisor(String name) {
    CrashableTransport transport =
        new CrashableTransport(
            JGroupsTransport.builder()
                .ringName(ringName)
                .preset(Preset.LOOPBACK)
                .bindPort(basePort)
                .portRange(BLOCK)
                .memberName(name)
                .build());
    Supervisor s =
        Supervisor.builder()
            .name(name)
            .transport(transport)
            .dataDirectory(directory.resolve(name))
            .build();
    supervisors.put(name, s);
    transports.put(name, transport);
    return s;
  }

  /** Starts every supervisor not started yet. */
  void startAll() {
    for (Supervisor s : supervisors.values()) {
      if (s.state() == Supervisor.State.LATENT) {
        s.start();
      }
    }
  }

  /** Cuts the member off at once, as {@code kill -9} would. */
  void crash(String name) {
    java.util.Objects.requireNonNull(transports.get(name), name).crash();
  }

  /** Waits until every service in the list follows {@code leader}. */
  static void awaitLeader(List<Service> services, String leader) {
    try {
      Awaitility.await(leader + " leads " + services.size() + " members")
          .atMost(BOUND)
          .until(() -> services.stream().allMatch(s -> follows(s, leader)));
    } catch (ConditionTimeoutException e) {
      StringBuilder censuses = new StringBuilder();
      for (Service s : services) {
        censuses.append('\n').append(s.census());
      }
      throw new AssertionError(e.getMessage() + "; the censuses:" + censuses, e);
    }
  }

  static boolean follows(Service s, String leader) {
    return s.census().leaderId().equals(Optional.of(MemberId.of(leader)));
  }

  @Override
  public void close() {
    List<Supervisor> all = new ArrayList<>(supervisors.values());
    // close in parallel: each close may wait for goodbyes and acknowledgements
    all.parallelStream().forEach(Supervisor::close);
  }
}
