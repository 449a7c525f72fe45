package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.core.spi.Transport;
import io.habitat.test.compliance.RecordingReceiver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes that are not habitat's reach a ring: random bytes on a member's port, and messages of a
 * JGroups member of the same ring that are not habitat messages. They are dropped and counted;
 * nothing crashes, and the census and leadership stay as they were.
 */
class ForeignTrafficTest {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final ServiceGroup GROUP = ServiceGroup.parse("db.foreign");

  private final String ringName = "foreign-" + Long.toHexString(System.nanoTime());
  private final int basePort = PortBlock.find(4);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private JGroupsTransport.Builder transport(String name) {
    return JGroupsTransport.builder()
        .ringName(ringName)
        .preset(Preset.LOOPBACK)
        .bindPort(basePort)
        .portRange(4)
        .memberName(name);
  }

  private Service member(String name, Path dir) {
    Supervisor s =
        Supervisor.builder()
            .name(name)
            .transport(transport(name).build())
            .dataDirectory(dir.resolve(name))
            .build();
    closeables.add(s);
    Service service =
        s.register(
            ServiceConfig.builder(GROUP)
                .topology(Topology.LEADER)
                .memberId(MemberId.of(name))
                .suitability(name.equals("b") ? 2 : 1)
                .bootstrapSize(2)
                .build());
    s.start();
    return service;
  }

  @Test
  void foreignBytesAreDroppedAndCountedAndChangeNothing(@TempDir Path dir) throws Exception {
    Service a = member("a", dir);
    Service b = member("b", dir);
    Awaitility.await("b leads, a follows")
        .atMost(BOUND)
        .until(() -> b.isLeader() && a.census().leaderId().equals(Optional.of(MemberId.of("b"))));
    Supervisor supervisorA = (Supervisor) closeables.get(0);
    long termBefore = a.census().term().value();

    // Random bytes straight onto every port of the ring's block.
    SplittableRandom rnd = new SplittableRandom(7);
    for (int port = basePort; port < basePort + 4; port++) {
      for (int i = 0; i < 3; i++) {
        byte[] junk = new byte[1 + rnd.nextInt(2000)];
        rnd.nextBytes(junk);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          OutputStream out = s.getOutputStream();
          out.write(junk);
          out.flush();
        } catch (IOException nobodyThere) {
          // a port of the block nobody listens on
        }
      }
    }

    // A JGroups member of the same ring that sends what is not a habitat message.
    Transport stranger = transport("stranger").build();
    closeables.add(stranger);
    stranger.start(new RecordingReceiver());
    for (int i = 0; i < 20; i++) {
      byte[] junk = new byte[1 + rnd.nextInt(300)];
      rnd.nextBytes(junk);
      stranger.sendToAll(junk);
    }
    byte[] almost = {'H', 'B', 2, 1, 0, 0};
    stranger.sendToAll(almost);

    Awaitility.await("a counted the stranger's messages as undecodable")
        .atMost(BOUND)
        .until(() -> supervisorA.decodeErrors() >= 21);
    assertThat(b.isLeader()).isTrue();
    assertThat(a.census().leaderId()).contains(MemberId.of("b"));
    assertThat(a.census().term().value()).isEqualTo(termBefore);
    assertThat(a.census().member(MemberId.of("b")).map(m -> m.state())).contains(MemberState.ALIVE);
    assertThat(a.census().members()).hasSize(2);
  }
}
