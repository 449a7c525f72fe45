package io.habitat.test.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Role;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.core.event.HabitatEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A group of one (bootstrap size 1, as on a laptop) keeps its leader and its term. */
class LoneLeaderTest {

  @Test
  void aLoneVoterKeepsLeadingItsFirstTerm() {
    try (InMemoryRing ring = InMemoryRing.create(21)) {
      InMemoryRing.Member a =
          ring.start(
              "a",
              ServiceConfig.builder(ServiceGroup.parse("db.main"))
                  .topology(Topology.LEADER)
                  .bootstrapSize(1)
                  .build());
      List<HabitatEvent> revoked = new ArrayList<>();
      a.supervisor()
          .addEventListener(
              e -> {
                if (e instanceof HabitatEvent.LeaderRevoked) {
                  revoked.add(e);
                }
              });
      ring.await("a leads", () -> a.service().isLeader());
      ring.runFor(Duration.ofSeconds(10));
      assertThat(revoked).isEmpty();
      assertThat(a.service().isLeader()).isTrue();
      assertThat(a.service().census().role()).isEqualTo(Role.LEADER);
      assertThat(a.service().census().term()).isEqualTo(Term.of(1));
    }
  }
}
