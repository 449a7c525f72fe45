package io.habitat.test.network;

import static io.habitat.test.network.Groups.allFollow;
import static io.habitat.test.network.Groups.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
import io.habitat.core.HabitatException;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Group config: applied from any member, spread to all, kept, and ordered after a partition. */
class GroupConfigTest {

  private static final ServiceGroup DB = ServiceGroup.parse("db.main");
  private static final ServiceGroup WEB = ServiceGroup.parse("web.main");

  /** The group config hook calls of one member. */
  static final class ConfigLog {
    final List<GroupConfig> seen = new ArrayList<>();

    ServiceConfig config(ServiceConfig.Builder b) {
      return b.onGroupConfig(seen::add).build();
    }
  }

  private static ServiceConfig.Builder leader(long suitability) {
    return ServiceConfig.builder(DB).topology(Topology.LEADER).suitability(suitability);
  }

  private static <T> T result(InMemoryRing ring, CompletionStage<T> stage) {
    ring.await("the stage completes", () -> done(stage));
    return stage.toCompletableFuture().join();
  }

  private static boolean allHold(List<InMemoryRing.Member> members, GroupConfig doc) {
    return members.stream()
        .allMatch(
            m ->
                m.service().groupConfig().equals(Optional.of(doc))
                    && m.service().census().configVersion() == doc.version());
  }

  @Test
  void aConfigAppliedOnAFollowerReachesEveryMemberALaterJoinerAndSurvivesARestart() {
    try (InMemoryRing ring = InMemoryRing.create(71)) {
      List<ConfigLog> logs = List.of(new ConfigLog(), new ConfigLog(), new ConfigLog());
      InMemoryRing.Member a = ring.start("a", logs.get(0).config(leader(1)));
      InMemoryRing.Member b = ring.start("b", logs.get(1).config(leader(3)));
      InMemoryRing.Member c = ring.start("c", logs.get(2).config(leader(2)));
      List<InMemoryRing.Member> abc = List.of(a, b, c);
      ring.await("b leads", () -> allFollow(abc, "b"));
      assertThat(a.service().groupConfig()).isEmpty();

      String json = "{\"max_connections\": 100, \"pool\": {\"size\": 5}}";
      GroupConfig applied = result(ring, a.service().applyConfig(1, ConfigFormat.JSON, json));
      assertThat(applied.version()).isEqualTo(1);
      assertThat(applied.format()).isEqualTo(ConfigFormat.JSON);
      assertThat(applied.document()).isEqualTo(json);
      assertThat(applied.term()).isEqualTo(a.service().census().term());
      assertThat(applied.digest()).hasSize(64);
      ring.await("every member holds it", () -> allHold(abc, applied));
      ring.runFor(Duration.ofSeconds(1));
      for (ConfigLog log : logs) {
        assertThat(log.seen).containsExactly(applied);
      }

      ConfigLog dLog = new ConfigLog();
      InMemoryRing.Member d = ring.start("d", dLog.config(leader(1)));
      ring.await(
          "the later joiner gets it", () -> allHold(List.of(d), applied) && !dLog.seen.isEmpty());
      assertThat(dLog.seen).containsExactly(applied);

      for (InMemoryRing.Member m : List.of(a, b, c, d)) {
        ring.crash(m);
      }
      // Alone on the ring, nobody can send it: it comes from d's data directory.
      ConfigLog restartedLog = new ConfigLog();
      InMemoryRing.Member d2 = ring.restart(d, restartedLog.config(leader(1)));
      ring.await(
          "the restarted member still holds it",
          () -> allHold(List.of(d2), applied) && !restartedLog.seen.isEmpty());
      assertThat(restartedLog.seen).containsExactly(applied);
    }
  }

  @Test
  void aVersionThatIsNotHigherIsRefusedAndABadDocumentThrowsAtOnce() {
    try (InMemoryRing ring = InMemoryRing.create(72)) {
      List<ConfigLog> logs = List.of(new ConfigLog(), new ConfigLog(), new ConfigLog());
      InMemoryRing.Member a = ring.start("a", logs.get(0).config(leader(1)));
      InMemoryRing.Member b = ring.start("b", logs.get(1).config(leader(3)));
      InMemoryRing.Member c = ring.start("c", logs.get(2).config(leader(2)));
      List<InMemoryRing.Member> abc = List.of(a, b, c);
      ring.await("b leads", () -> allFollow(abc, "b"));
      String toml = "max_connections = 100\n\n[pool]\nsize = 5\n";
      GroupConfig v2 = result(ring, c.service().applyConfig(2, ConfigFormat.TOML, toml));
      ring.await("every member holds version 2", () -> allHold(abc, v2));

      CompletionStage<GroupConfig> same =
          b.service().applyConfig(2, ConfigFormat.JSON, "{\"max_connections\": 1}");
      ring.await("the same version is refused", () -> done(same));
      assertThatThrownBy(() -> same.toCompletableFuture().join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining("config version 2 is not higher than version 2")
          .hasMessageContaining("version 3 or higher");
      CompletionStage<GroupConfig> older =
          a.service().applyConfig(1, ConfigFormat.JSON, "{\"max_connections\": 1}");
      ring.await("an older version is refused", () -> done(older));
      assertThat(older.toCompletableFuture().isCompletedExceptionally()).isTrue();

      assertThatThrownBy(() -> a.service().applyConfig(3, ConfigFormat.JSON, "{\"unclosed\": 1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not valid json");
      assertThatThrownBy(() -> a.service().applyConfig(3, ConfigFormat.TOML, "= no key"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not valid toml");
      assertThatThrownBy(() -> a.service().applyConfig(3, ConfigFormat.JSON, "[1, 2]"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("one JSON object");
      assertThatThrownBy(() -> a.service().applyConfig(0, ConfigFormat.JSON, "{}"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("version must be 1 or more");
      String huge = "{\"blob\": \"" + "x".repeat(GroupConfig.MAX_BYTES) + "\"}";
      assertThatThrownBy(() -> a.service().applyConfig(3, ConfigFormat.JSON, huge))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at most " + GroupConfig.MAX_BYTES);

      ring.runFor(Duration.ofSeconds(3));
      assertThat(allHold(abc, v2)).isTrue();
      for (ConfigLog log : logs) {
        assertThat(log.seen).containsExactly(v2);
      }
    }
  }

  @Test
  void afterAPartitionTheSameVersionConvergesOnTheHigherTerm() {
    try (InMemoryRing ring = InMemoryRing.create(73)) {
      ConfigLog bLog = new ConfigLog();
      InMemoryRing.Member a = ring.start("a", new ConfigLog().config(leader(1)));
      InMemoryRing.Member b = ring.start("b", bLog.config(leader(3)));
      InMemoryRing.Member c = ring.start("c", new ConfigLog().config(leader(2)));
      List<InMemoryRing.Member> abc = List.of(a, b, c);
      ring.await("b leads", () -> allFollow(abc, "b"));
      ring.network()
          .partition(List.of(List.of(b.transport()), List.of(a.transport(), c.transport())));
      ring.await(
          "c leads the majority and b stepped down",
          () -> allFollow(List.of(a, c), "c") && !b.service().isLeader());

      GroupConfig minority =
          result(ring, b.service().applyConfig(1, ConfigFormat.JSON, "{\"side\": \"minority\"}"));
      GroupConfig majority =
          result(ring, a.service().applyConfig(1, ConfigFormat.JSON, "{\"side\": \"majority\"}"));
      ring.runFor(Duration.ofSeconds(2));
      assertThat(allHold(List.of(a, c), majority)).isTrue();
      assertThat(allHold(List.of(b), minority)).isTrue();
      assertThat(majority.term()).isGreaterThan(minority.term());
      assertThat(Collections.max(List.of(minority, majority))).isEqualTo(majority);

      ring.network().heal();
      ring.await("everyone holds the majority's document", () -> allHold(abc, majority));
      ring.runFor(Duration.ofSeconds(3));
      assertThat(allHold(abc, majority)).isTrue();
      assertThat(bLog.seen).containsExactly(minority, majority);
    }
  }

  @Test
  void afterAPartitionTheSameVersionAndTermConvergesOnTheHigherDigest() {
    try (InMemoryRing ring = InMemoryRing.create(74)) {
      ServiceConfig standalone = ServiceConfig.builder(WEB).build();
      InMemoryRing.Member a = ring.start("a", standalone);
      InMemoryRing.Member b = ring.start("b", standalone);
      InMemoryRing.Member c = ring.start("c", standalone);
      List<InMemoryRing.Member> abc = List.of(a, b, c);
      ring.await(
          "everyone sees everyone",
          () -> abc.stream().allMatch(m -> m.service().census().members().size() == 3));
      ring.network()
          .partition(List.of(List.of(a.transport()), List.of(b.transport(), c.transport())));
      ring.runFor(Duration.ofSeconds(2));
      CompletableFuture<GroupConfig> left =
          a.service()
              .applyConfig(1, ConfigFormat.JSON, "{\"colour\": \"red\"}")
              .toCompletableFuture();
      CompletableFuture<GroupConfig> right =
          b.service()
              .applyConfig(1, ConfigFormat.JSON, "{\"colour\": \"blue\"}")
              .toCompletableFuture();
      GroupConfig red = result(ring, left);
      GroupConfig blue = result(ring, right);
      assertThat(red.term()).isEqualTo(Term.ZERO).isEqualTo(blue.term());
      GroupConfig winner = Collections.max(List.of(red, blue));
      ring.runFor(Duration.ofSeconds(2));
      assertThat(allHold(List.of(b, c), blue)).isTrue();

      ring.network().heal();
      ring.await("everyone holds the higher digest", () -> allHold(abc, winner));
      ring.runFor(Duration.ofSeconds(3));
      assertThat(allHold(abc, winner)).isTrue();
    }
  }
}
