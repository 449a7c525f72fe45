package io.habitat.site.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Bind;
import io.habitat.core.BoundGroup;
import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Topology;
import io.habitat.test.network.InMemoryRing;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The group config and binds page's own examples (it also quotes TopologyExamplesTest). */
class ConfigExamplesTest {

  private static void movePrimary(Service db) {
    // tag::exports[]
    db.publishExports(Map.of("host", "10.0.0.7", "port", "5432"));
    // end::exports[]
  }

  private static Optional<String> databaseHost(Service web) {
    // tag::bound[]
    BoundGroup database = web.bound("database");
    Optional<String> host = database.leaderMember().map(m -> m.exports().get("host"));
    // end::bound[]
    return host;
  }

  private static Optional<Long> configVersion(Service web) {
    // tag::read-config[]
    Optional<GroupConfig> config = web.groupConfig(); // the newest this member holds
    Optional<Long> version = config.map(GroupConfig::version);
    // end::read-config[]
    return version;
  }

  @Test
  void aBindReadsTheLeadersExportsAndConfigReachesEveryMember() {
    try (InMemoryRing ring = InMemoryRing.create(41)) {
      ServiceConfig db =
          ServiceConfig.builder(ServiceGroup.parse("postgres.main"))
              .topology(Topology.LEADER)
              .exports(Map.of("host", "10.0.0.1", "port", "5432"))
              .build();
      ServiceConfig web =
          ServiceConfig.builder(ServiceGroup.parse("web.main"))
              .bind(Bind.strict("database", ServiceGroup.parse("postgres.main")))
              .build();
      InMemoryRing.Member w1 = ring.start("w1", web);
      InMemoryRing.Member w2 = ring.start("w2", web);
      ring.start("a", db);
      ring.start("b", db.toBuilder().exports(Map.of("host", "10.0.0.2")).build());
      InMemoryRing.Member c =
          ring.start("c", db.toBuilder().exports(Map.of("host", "10.0.0.3")).build());
      ring.await("w1 ready", () -> w1.service().ready().toCompletableFuture().isDone());
      ring.await("c leads", () -> c.service().isLeader());
      ring.await(
          "w1 reads c's host", () -> databaseHost(w1.service()).equals(Optional.of("10.0.0.3")));
      movePrimary(c.service());
      ring.await(
          "w1 reads the new host",
          () -> databaseHost(w1.service()).equals(Optional.of("10.0.0.7")));

      var applied =
          w1.service().applyConfig(3, ConfigFormat.JSON, "{\"pool\": 20}").toCompletableFuture();
      ring.await("applied", applied::isDone); // the ring runs on this thread: never block it
      ring.await("w2 has it", () -> configVersion(w2.service()).equals(Optional.of(3L)));
      assertThat(w2.service().groupConfig().orElseThrow().document()).contains("\"pool\"");
    }
  }
}
