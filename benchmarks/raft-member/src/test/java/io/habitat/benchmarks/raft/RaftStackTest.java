package io.habitat.benchmarks.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stack is JGroups 5.4's tcp.xml on 127.0.0.1 with jgroups-raft's protocols added. */
class RaftStackTest {

  @Test
  void theStackIsTcpXmlOnLoopbackWithRaftOnTop() {
    String xml =
        RaftStack.xml(
            RaftStackTest.class.getClassLoader(),
            21000,
            3,
            21001,
            Map.of(),
            Map.of("members", "m1,m2,m3", "raft_id", "m2", "log_dir", "/tmp/x"));
    assertThat(xml)
        .contains("bind_addr=\"127.0.0.1\"", "bind_port=\"21001\"", "diag.enabled=\"false\"")
        .contains("initial_hosts=\"127.0.0.1[21000]\"")
        .contains("<FD_ALL3 interval=\"5s\" timeout=\"40s\"/>")
        .doesNotContain("<include");
    assertThat(xml.indexOf("raft.NO_DUPES")).isLessThan(xml.indexOf("pbcast.GMS"));
    assertThat(xml.indexOf("raft.ELECTION")).isLessThan(xml.indexOf("raft.RAFT"));
    assertThat(xml.indexOf("raft.RAFT")).isLessThan(xml.indexOf("raft.REDIRECT"));
    assertThat(xml).contains("raft_id=\"m2\"", "members=\"m1,m2,m3\"");
  }
}
