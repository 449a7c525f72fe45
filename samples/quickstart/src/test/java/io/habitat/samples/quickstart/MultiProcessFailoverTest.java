package io.habitat.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.habitat.test.process.FreePorts;
import io.habitat.test.process.MemberProcess;
import io.habitat.test.process.ProcessEvent;
import io.habitat.test.process.ProcessLauncher;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members as separate JVMs ({@link MemberMain}) on one ring over JGroups on 127.0.0.1: the
 * leader is killed with {@code kill -9}, and the survivors elect a new one in a higher term. Safety
 * only: no assertion on how long anything takes; every wait is bounded by {@link #WAIT}.
 */
class MultiProcessFailoverTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORTS = 10;

  @Test
  void survivorsOfAKilledLeaderElectANewOneInAHigherTerm(@TempDir Path data)
      throws URISyntaxException {
    // Surefire puts the test class path (this module's classes included) in java.class.path,
    // which the launcher hands to the children.
    Path classes =
        Path.of(MemberMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(List.of(System.getProperty("java.class.path", "").split(File.pathSeparator)))
        .map(entry -> Path.of(entry).toAbsolutePath())
        .contains(classes.toAbsolutePath());

    int base = FreePorts.block(PORTS);
    String ring = "failover-" + base;
    URL logging = Objects.requireNonNull(getClass().getResource("/logback.xml"));
    try (ProcessLauncher launcher =
        ProcessLauncher.builder()
            .maxLifetime(Duration.ofMinutes(2))
            .addJvmOptions("-Dlogback.configurationFile=" + Path.of(logging.toURI()))
            .build()) {
      List<MemberProcess> members = new ArrayList<>();
      for (String name : List.of("m1", "m2", "m3")) {
        members.add(
            launcher.start(
                name,
                MemberMain.class.getName(),
                List.of(
                    "--name", name,
                    "--ring", ring,
                    "--port", Integer.toString(base),
                    "--ports", Integer.toString(PORTS),
                    "--data", data.resolve(name).toString())));
      }
      for (MemberProcess member : members) {
        member.awaitEvent("started", WAIT);
      }

      // All three agree on a leader, and each counts all three as voters: two survivors are then
      // a majority of the voting membership.
      Agreement first = awaitAgreement(members, 0, true);
      MemberProcess leader = named(members, first.leader());
      List<MemberProcess> survivors =
          members.stream().filter(m -> m != leader).collect(Collectors.toList());

      leader.kill();
      assertThat(leader.isAlive()).isFalse();
      assertThat(leader.exitCode()).isPresent();
      assertThat(leader.exitCode().getAsInt()).isNotZero();

      Agreement second = awaitAgreement(survivors, first.term(), false);
      assertThat(second.term()).isGreaterThan(first.term());
      assertThat(second.leader()).isNotEqualTo(leader.name());
      MemberProcess newLeader = named(survivors, second.leader());
      newLeader.awaitEvent("elected", e -> term(e) == second.term(), WAIT);

      // At most one member was ever elected in each term.
      Map<Long, Set<String>> electedByTerm = new HashMap<>();
      for (MemberProcess member : members) {
        for (ProcessEvent event : member.events()) {
          if (event.type().equals("elected")) {
            electedByTerm.computeIfAbsent(term(event), t -> new HashSet<>()).add(member.name());
          }
        }
      }
      assertThat(electedByTerm).allSatisfy((term, who) -> assertThat(who).hasSize(1));

      // The new leader leaves gracefully: it gives up its term and exits with 0.
      assertThat(newLeader.closeGracefully(WAIT)).isZero();
      assertThat(newLeader.events())
          .anySatisfy(
              e -> {
                assertThat(e.type()).isEqualTo("revoked");
                assertThat(term(e)).isEqualTo(second.term());
              });
    }
  }

  /** The leader and term a set of members agree on. */
  private record Agreement(String leader, long term) {}

  private static Agreement awaitAgreement(
      List<MemberProcess> members, long aboveTerm, boolean allVoters) {
    return await()
        .atMost(WAIT)
        .until(() -> agreement(members, aboveTerm, allVoters), Optional::isPresent)
        .orElseThrow();
  }

  /**
   * The leader and term in every member's latest census, if they are the same, the leader is one of
   * the members and the term is above {@code aboveTerm} (and, if {@code allVoters}, every member
   * lists all of them as voters).
   */
  private static Optional<Agreement> agreement(
      List<MemberProcess> members, long aboveTerm, boolean allVoters) {
    Set<Agreement> seen = new HashSet<>();
    for (MemberProcess member : members) {
      @Nullable ProcessEvent census = latestCensus(member);
      if (census == null) {
        return Optional.empty();
      }
      if (allVoters) {
        List<String> voters = List.of(census.require("voters").split(","));
        if (!members.stream().allMatch(m -> voters.contains(m.name()))) {
          return Optional.empty();
        }
      }
      seen.add(new Agreement(census.require("leader"), term(census)));
    }
    if (seen.size() != 1) {
      return Optional.empty();
    }
    Agreement agreement = seen.iterator().next();
    boolean leaderIsMember = members.stream().anyMatch(m -> m.name().equals(agreement.leader()));
    return leaderIsMember && agreement.term() > aboveTerm
        ? Optional.of(agreement)
        : Optional.empty();
  }

  private static @Nullable ProcessEvent latestCensus(MemberProcess member) {
    ProcessEvent latest = null;
    for (ProcessEvent event : member.events()) {
      if (event.type().equals("census")) {
        latest = event;
      }
    }
    return latest;
  }

  private static MemberProcess named(List<MemberProcess> members, String name) {
    return members.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no member named " + name));
  }

  private static long term(ProcessEvent event) {
    return Long.parseLong(event.require("term"));
  }
}
