package io.habitat.test.network;

import static io.habitat.test.network.Groups.allFollow;
import static io.habitat.test.network.Groups.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.Census;
import io.habitat.core.HabitatException;
import io.habitat.core.Health;
import io.habitat.core.InitHook;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.event.HabitatEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The initializer topology end to end: the leader's init hook and its first healthy check after it
 * release the followers, once, for good.
 */
class InitializerTest {

  private static final ServiceGroup DB = ServiceGroup.parse("db.main");

  /** One group's start-up, as its hooks and ready stages saw it, in order. */
  static final class Story {
    final List<String> events = new ArrayList<>();
    final List<String> inits = new ArrayList<>();
    final Set<String> initialisedBy = new HashSet<>();
    final Map<String, Integer> checksSinceInit = new HashMap<>();

    /** How many checks after its init report WARNING before the first OK. */
    final int warnings;

    Story(int warnings) {
      this.warnings = warnings;
    }

    /** Records the init, then runs {@code then} (which may throw or crash the member). */
    ServiceConfig config(String name, long suitability, InitHook then) {
      return ServiceConfig.builder(DB)
          .topology(Topology.INITIALIZER)
          .suitability(suitability)
          .healthInterval(Duration.ofMillis(200))
          .initRetry(Duration.ofMillis(500), Duration.ofSeconds(5))
          .init(
              ctx -> {
                inits.add(name + " " + ctx.term());
                then.init(ctx);
                events.add("init " + name + " returned");
                initialisedBy.add(name);
              })
          .healthCheck(
              () -> {
                if (!initialisedBy.contains(name)) {
                  // Healthy before init: that must not release anyone.
                  return Health.OK;
                }
                int n = checksSinceInit.merge(name, 1, Integer::sum);
                if (n <= warnings) {
                  events.add("health " + name + " warning");
                  return Health.WARNING;
                }
                if (n == warnings + 1) {
                  events.add("health " + name + " ok");
                }
                return Health.OK;
              })
          .build();
    }

    ServiceConfig config(String name, long suitability) {
      return config(name, suitability, ctx -> {});
    }

    InMemoryRing.Member start(InMemoryRing ring, String name, ServiceConfig config) {
      return watch(ring.start(name, config), name);
    }

    /** Restarts a crashed member on its data directory. */
    InMemoryRing.Member restart(InMemoryRing ring, InMemoryRing.Member old, long suitability) {
      String name = old.service().memberId().value();
      return watch(ring.restart(old, config(name, suitability)), name);
    }

    private InMemoryRing.Member watch(InMemoryRing.Member m, String name) {
      m.service().ready().thenAccept(c -> events.add("ready " + name));
      return m;
    }
  }

  private static boolean initialised(InMemoryRing.Member m) {
    return m.service().census().initialisation().initialised();
  }

  /** Starts a, b, c with b the most suitable, and waits until all three are ready. */
  private static List<InMemoryRing.Member> startThree(InMemoryRing ring, Story story) {
    InMemoryRing.Member a = story.start(ring, "a", story.config("a", 1));
    InMemoryRing.Member b = story.start(ring, "b", story.config("b", 3));
    InMemoryRing.Member c = story.start(ring, "c", story.config("c", 2));
    List<InMemoryRing.Member> all = List.of(a, b, c);
    ring.await("all three are ready", () -> all.stream().allMatch(m -> done(m.service().ready())));
    return all;
  }

  @Test
  void followersStartOnlyAfterTheLeadersInitAndAHealthyCheckAfterIt() {
    try (InMemoryRing ring = InMemoryRing.create(31)) {
      Story story = new Story(2);
      List<InMemoryRing.Member> all = startThree(ring, story);
      InMemoryRing.Member b = all.get(1);
      assertThat(allFollow(all, "b")).isTrue();
      Term term = b.service().census().term();
      assertThat(story.inits).containsExactly("b " + term);
      assertThat(story.events.subList(0, 4))
          .containsExactly(
              "init b returned", "health b warning", "health b warning", "health b ok");
      assertThat(story.events.subList(4, story.events.size()))
          .containsExactlyInAnyOrder("ready a", "ready b", "ready c");
      ring.await(
          "every member knows the group is initialised",
          () -> all.stream().allMatch(InitializerTest::initialised));
      for (InMemoryRing.Member m : all) {
        Census.Initialisation init = m.service().census().initialisation();
        assertThat(init.required()).isTrue();
        assertThat(init.term()).isEqualTo(term);
        assertThat(init.error()).isNull();
      }
    }
  }

  @Test
  void aLateJoinerAndARestartedGroupDoNotRunInitAgain() {
    try (InMemoryRing ring = InMemoryRing.create(32)) {
      Story story = new Story(1);
      List<InMemoryRing.Member> all = startThree(ring, story);
      Term term = all.get(1).service().census().term();
      assertThat(story.inits).hasSize(1);

      // d is the most suitable, but the leader is sticky; d passes straight through.
      InMemoryRing.Member d = story.start(ring, "d", story.config("d", 9));
      ring.await("d is ready", () -> done(d.service().ready()));
      assertThat(d.service().census().initialisation().term()).isEqualTo(term);
      assertThat(story.inits).hasSize(1);

      for (InMemoryRing.Member m : all) {
        ring.crash(m);
      }
      ring.crash(d);
      List<InMemoryRing.Member> again = new ArrayList<>();
      for (InMemoryRing.Member m : List.of(all.get(0), all.get(1), all.get(2), d)) {
        again.add(story.restart(ring, m, 1));
      }
      ring.await(
          "the restarted group is ready",
          () -> again.stream().allMatch(m -> done(m.service().ready())));
      ring.await("a leader again", () -> Groups.agreedLeader(again).isPresent());
      ring.runFor(Duration.ofSeconds(3));
      assertThat(story.inits).as("init ran once, before the restart").hasSize(1);
      for (InMemoryRing.Member m : again) {
        assertThat(m.service().census().initialisation().initialised()).isTrue();
      }
    }
  }

  @Test
  void aFailingInitIsRetriedWithBackOffAndReportedWhileFollowersWait() {
    try (InMemoryRing ring = InMemoryRing.create(33)) {
      Story story = new Story(0);
      List<Long> attempts = new ArrayList<>();
      InitHook flaky =
          ctx -> {
            attempts.add(ring.time().nanoTime());
            if (attempts.size() <= 2) {
              throw new IllegalStateException("schema is locked (attempt " + attempts.size() + ")");
            }
          };
      InMemoryRing.Member a = story.start(ring, "a", story.config("a", 1, flaky));
      InMemoryRing.Member b = story.start(ring, "b", story.config("b", 3, flaky));
      InMemoryRing.Member c = story.start(ring, "c", story.config("c", 2, flaky));
      List<HabitatEvent> events = new ArrayList<>();
      b.supervisor().addEventListener(events::add);

      ring.await(
          "the leader reports the first failure",
          () ->
              String.valueOf(b.service().census().initialisation().error())
                  .contains("schema is locked (attempt 1)"));
      ring.await(
          "the followers see it too",
          () ->
              String.valueOf(a.service().census().initialisation().error())
                  .contains("schema is locked"));
      assertThat(done(a.service().ready())).isFalse();
      assertThat(done(c.service().ready())).isFalse();
      assertThat(done(b.service().ready())).isFalse();

      ring.await("the group is initialised in the end", () -> initialised(a) && initialised(c));
      ring.await("all are ready", () -> done(a.service().ready()) && done(c.service().ready()));
      assertThat(attempts).hasSize(3);
      long first = attempts.get(1) - attempts.get(0);
      long second = attempts.get(2) - attempts.get(1);
      assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(500).toNanos());
      assertThat(second).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
      assertThat(story.inits).allMatch(s -> s.startsWith("b "));
      assertThat(b.supervisor().hookFailures()).isEqualTo(2);
      ring.await(
          "the failures were published",
          () ->
              events.stream()
                      .filter(
                          e -> e instanceof HabitatEvent.HookFailed f && f.hook().equals("init"))
                      .count()
                  == 2);
      assertThat(b.service().census().initialisation().error()).isNull();
      assertThat(a.service().census().initialisation().error()).isNull();
    }
  }

  @Test
  void awaitReadyOnAFollowerThatTimesOutSaysWhatItWaitsFor() throws InterruptedException {
    try (InMemoryRing ring = InMemoryRing.create(34)) {
      Story story = new Story(0);
      InitHook broken =
          ctx -> {
            throw new IllegalStateException("disk full");
          };
      InMemoryRing.Member a = story.start(ring, "a", story.config("a", 1, broken));
      InMemoryRing.Member b = story.start(ring, "b", story.config("b", 3, broken));
      InMemoryRing.Member c = story.start(ring, "c", story.config("c", 2, broken));
      ring.await("b leads", () -> allFollow(List.of(a, b, c), "b"));
      ring.await(
          "a has heard of the failure",
          () -> a.service().census().initialisation().error() != null);
      ring.runFor(Duration.ofSeconds(5));
      assertThat(done(a.service().ready())).isFalse();
      // With virtual time nothing moves while this thread blocks: the wait can only time out.
      assertThatThrownBy(() -> a.service().awaitReady(Duration.ofMillis(20)))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining("db.main")
          .hasMessageContaining("member a")
          .hasMessageContaining("the leader is b")
          .hasMessageContaining("initialised")
          .hasMessageContaining("disk full");
      assertThatThrownBy(() -> b.service().awaitReady(Duration.ofMillis(20)))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining("this member leads term")
          .hasMessageContaining("disk full");
      assertThat(story.inits.size()).isGreaterThan(2);
      assertThat(story.inits).allMatch(s -> s.startsWith("b "));
    }
  }

  @Test
  void whenTheLeaderDiesDuringInitTheNextLeaderRunsItAgain() {
    try (InMemoryRing ring = InMemoryRing.create(35)) {
      Story story = new Story(1);
      AtomicReference<InMemoryRing.Member> leader = new AtomicReference<>();
      // b dies half-way through its init: the next leader must run it again.
      InitHook dies =
          ctx -> {
            ring.crash(java.util.Objects.requireNonNull(leader.get()));
            // Nothing after a kill -9 runs: the init of b never returns.
            throw new IllegalStateException("b was killed during init");
          };
      InMemoryRing.Member a = story.start(ring, "a", story.config("a", 1));
      InMemoryRing.Member b = story.start(ring, "b", story.config("b", 3, dies));
      leader.set(b);
      InMemoryRing.Member c = story.start(ring, "c", story.config("c", 2));
      ring.await("b started init", () -> !story.inits.isEmpty());
      ring.await("a and c are ready", () -> done(a.service().ready()) && done(c.service().ready()));
      assertThat(allFollow(List.of(a, c), "c")).isTrue();
      Term term = c.service().census().term();
      assertThat(story.inits).containsExactly("b 1", "c " + term);
      assertThat(story.events).doesNotContain("init b returned", "ready b");
      assertThat(story.events.indexOf("health c ok"))
          .isLessThan(story.events.indexOf("ready a"))
          .isLessThan(story.events.indexOf("ready c"));
      assertThat(a.service().census().initialisation().term()).isEqualTo(term);
      assertThat(c.service().census().initialisation().term()).isEqualTo(term);
      assertThat(c.service().census().member(MemberId.of("b")).map(Census.Member::leader))
          .contains(false);
    }
  }

  @Test
  void aLeaderReElectedWhileItsHooksLaggedRunsInitForItsNewTerm() {
    try (InMemoryRing ring = InMemoryRing.create(36)) {
      Story story = new Story(0);
      InMemoryRing.Member a = story.start(ring, "a", story.config("a", 1));
      InMemoryRing.Member b =
          story.start(
              ring,
              "b",
              story.config("b", 3).toBuilder().hookTimeout(Duration.ofSeconds(1)).build());
      // None of b's hooks run for now: its init of term 1 waits in the queue.
      b.hooks().freeze();
      InMemoryRing.Member c = story.start(ring, "c", story.config("c", 2));
      List<InMemoryRing.Member> all = List.of(a, b, c);
      ring.await("b leads", () -> allFollow(all, "b"));
      Term first = b.service().census().term();
      // The re-election waits for b's revoked hook until it is reported hung; b, still the
      // highest-ranked, wins again.
      a.service().reelect();
      ring.await(
          "b leads a new term",
          () -> allFollow(all, "b") && b.service().census().term().isAfter(first));
      Term second = b.service().census().term();
      assertThat(story.inits).isEmpty();

      b.hooks().thaw();
      ring.await(
          "all three are ready", () -> all.stream().allMatch(m -> done(m.service().ready())));
      // The init of term 1 is skipped (b no longer leads it); term 2 runs its own.
      assertThat(story.inits).containsExactly("b " + second);
      assertThat(a.service().census().initialisation().term()).isEqualTo(second);
    }
  }

  @Test
  void withoutAHealthCheckTheLeadersInitAloneReleasesTheGroup() {
    try (InMemoryRing ring = InMemoryRing.create(37)) {
      List<String> inits = new ArrayList<>();
      ServiceConfig.Builder base = ServiceConfig.builder(DB).topology(Topology.INITIALIZER);
      List<InMemoryRing.Member> all = new ArrayList<>();
      for (String name : List.of("a", "b", "c")) {
        all.add(
            ring.start(
                name,
                base.suitability(name.equals("b") ? 3 : 1)
                    .init(ctx -> inits.add(name + " " + ctx.term()))
                    .build()));
      }
      ring.await("all are ready", () -> all.stream().allMatch(m -> done(m.service().ready())));
      assertThat(inits).containsExactly("b " + all.get(1).service().census().term());
      assertThat(all.get(0).service().census().initialisation().initialised()).isTrue();
    }
  }
}
