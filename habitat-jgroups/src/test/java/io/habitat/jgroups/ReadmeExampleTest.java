package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.LeaderContext;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Using it" example, compiled and run (on a free port block and a temp dir). */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleStartsAndCloses(@TempDir Path dataDirectory) {
    int port = PortBlock.find(10);
    Service db;
    try (Supervisor supervisor =
        Supervisor.builder()
            .transport(
                JGroupsTransport.builder()
                    .ringName("shop-" + port)
                    .preset(Preset.LOOPBACK)
                    .bindPort(port)
                    .build())
            .dataDirectory(dataDirectory)
            .build()) {
      db =
          supervisor.register(
              ServiceConfig.builder(ServiceGroup.parse("postgres.main"))
                  .topology(Topology.LEADER)
                  .build());
      db.addListener(
          new ServiceListener() {
            @Override
            public void elected(LeaderContext ctx) {
              // lead; fence writes with ctx.term()
            }

            @Override
            public void revoked(LeaderContext ctx) {
              // stop leading
            }
          });
      supervisor.start();
      assertThat(supervisor.state()).isEqualTo(Supervisor.State.STARTED);
      assertThat(db.memberId().value()).startsWith("m-");
    }
    // One member of a group whose bootstrap size is 3 waits for two more: no leader alone.
    assertThat(db.isLeader()).isFalse();
  }
}
