package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.core.event.HabitatEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooks on real threads, on real JGroups channels in one JVM: a leader hook still running when
 * leadership ends is interrupted, and a hook that never returns is reported as hung and holds
 * neither the election nor the hooks of other services.
 */
class RealThreadHooksTest {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final ServiceGroup DB = ServiceGroup.parse("db.hooks");
  private static final ServiceGroup CACHE = ServiceGroup.parse("cache.hooks");

  private final String ringName = "hooks-" + Long.toHexString(System.nanoTime());
  private final int basePort = PortBlock.find(3);
  private final List<Supervisor> supervisors = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<HabitatEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() {
    release.countDown();
    supervisors.forEach(Supervisor::close);
  }

  private Supervisor supervisor(String name, Path dir) {
    Supervisor s =
        Supervisor.builder()
            .name(name)
            .transport(
                JGroupsTransport.builder()
                    .ringName(ringName)
                    .preset(Preset.LOOPBACK)
                    .bindPort(basePort)
                    .portRange(3)
                    .memberName(name)
                    .build())
            .dataDirectory(dir.resolve(name))
            .build();
    s.addEventListener(events::add);
    supervisors.add(s);
    return s;
  }

  /** Starts a, b, c (suitability 1, 2, 3) with the given service per member; c leads. */
  private List<Service> startThree(Path dir, Function<String, ServiceConfig> config) {
    List<Service> services = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      Supervisor s = supervisor(name, dir);
      services.add(s.register(config.apply(name)));
    }
    supervisors.forEach(Supervisor::start);
    Awaitility.await("c leads")
        .atMost(BOUND)
        .until(() -> services.stream().allMatch(s -> isLed(s, "c")) && services.get(2).isLeader());
    return services;
  }

  private static boolean isLed(Service s, String leader) {
    return s.census().leaderId().equals(Optional.of(MemberId.of(leader)));
  }

  private static ServiceConfig.Builder db(String name) {
    return ServiceConfig.builder(DB)
        .topology(Topology.LEADER)
        .memberId(MemberId.of(name))
        .suitability(name.charAt(0) - 'a' + 1L);
  }

  @Test
  void aLeaderHookStillRunningWhenLeadershipEndsIsInterrupted(@TempDir Path dir) {
    List<Service> services =
        startThree(
            dir,
            name ->
                db(name)
                    .onElected(
                        ctx -> {
                          calls.add(name + " elected " + ctx.term());
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            calls.add(name + " interrupted, leader=" + ctx.isLeader());
                          }
                        })
                    .onRevoked(ctx -> calls.add(name + " revoked " + ctx.term()))
                    .build());
    Service c = services.get(2);
    String term = c.census().term().toString();
    Awaitility.await("c's elected hook runs")
        .atMost(BOUND)
        .until(() -> calls.contains("c elected " + term));

    c.yieldLeadership();

    Awaitility.await("b leads").atMost(BOUND).until(() -> services.get(1).isLeader());
    assertThat(calls)
        .containsSubsequence(
            "c elected " + term, "c interrupted, leader=false", "c revoked " + term);
  }

  @Test
  void aHookThatNeverReturnsIsReportedAndHoldsNeitherTheElectionNorOtherServices(
      @TempDir Path dir) {
    List<Service> services =
        startThree(
            dir,
            name ->
                db(name)
                    .hookTimeout(Duration.ofMillis(200))
                    .onRevoked(
                        ctx -> {
                          calls.add(name + " revoked " + ctx.term());
                          // A hook that ignores interrupts and never returns (until the test ends).
                          while (release.getCount() > 0) {
                            try {
                              release.await();
                            } catch (InterruptedException ignored) {
                              // keeps hanging
                            }
                          }
                        })
                    .build());
    Supervisor cSupervisor = supervisors.get(2);
    Service cache =
        cSupervisor.register(
            ServiceConfig.builder(CACHE)
                .memberId(MemberId.of("c"))
                .onGroupConfig(config -> calls.add("cache config " + config.version()))
                .build());
    Service c = services.get(2);
    String term = c.census().term().toString();

    c.yieldLeadership();

    Awaitility.await("c's revoked hook hangs")
        .atMost(BOUND)
        .until(() -> calls.contains("c revoked " + term));
    // The hand-off waits for the revoked hook at most the hook timeout (plus an election
    // timeout); then b, the next in rank, leads although c's hook still hangs.
    Awaitility.await("b leads").atMost(BOUND).until(() -> services.get(1).isLeader());
    Awaitility.await("the hung hook is reported")
        .atMost(BOUND)
        .until(
            () ->
                events.stream()
                    .anyMatch(
                        e ->
                            e instanceof HabitatEvent.HookHung h
                                && h.member().equals(MemberId.of("c"))
                                && h.hook().equals("revoked")));
    assertThat(cSupervisor.hooksHung()).isPositive();

    // Another service of the same supervisor still runs its hooks.
    cache.applyConfig(1, io.habitat.core.ConfigFormat.JSON, "{\"size\": 64}");
    Awaitility.await("the other service's hook runs")
        .atMost(BOUND)
        .until(() -> calls.contains("cache config 1"));
  }
}
