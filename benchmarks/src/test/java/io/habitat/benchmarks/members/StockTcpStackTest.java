package io.habitat.benchmarks.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JGroups contender's stacks: tcp.xml as shipped, on 127.0.0.1, and the tuned variant. */
class StockTcpStackTest {

  private static final ClassLoader LOADER = StockTcpStackTest.class.getClassLoader();

  @Test
  void theStockStackIsTcpXmlWithItsTransportInlinedOnLoopback() {
    String xml = StockTcpStack.xml(LOADER, 21000, 3, 21002, Map.of());
    assertThat(xml)
        .doesNotContain("<include")
        .contains("bind_addr=\"127.0.0.1\"", "bind_port=\"21002\"", "port_range=\"0\"")
        .contains("diag.enabled=\"false\"", "initial_hosts=\"127.0.0.1[21000]\"")
        .contains("<FD_ALL3 interval=\"5s\" timeout=\"40s\"/>")
        .contains("<VERIFY_SUSPECT2 timeout=\"1.5s\"/>")
        .contains("join_timeout=\"2s\"");
  }

  @Test
  void theTunedStackChangesFailureDetectionDiscoveryAndMerging() {
    String xml = StockTcpStack.xml(LOADER, 21000, 3, 21000, StockTcpStack.TUNED);
    assertThat(xml)
        .contains("<FD_ALL3 interval=\"300\" timeout=\"1500\"/>")
        .contains("<VERIFY_SUSPECT2 timeout=\"100\"/>")
        .contains("join_timeout=\"200\"", "num_discovery_runs=\"3\"")
        .contains("max_interval=\"1500\" min_interval=\"500\"");
  }

  @Test
  void aChangeToAnElementTheStackLacksIsRefused() {
    assertThatThrownBy(
            () -> StockTcpStack.xml(LOADER, 21000, 3, 21000, Map.of("FD_ALL", Map.of("a", "b"))))
        .hasMessageContaining("tcp.xml has 0 elements FD_ALL, expected one");
  }
}
