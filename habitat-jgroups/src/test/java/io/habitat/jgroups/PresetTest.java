package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PresetTest {

  @Test
  void everyPresetParsesFromItsConfigName() {
    assertThat(Preset.parse("loopback")).isEqualTo(Preset.LOOPBACK);
    assertThat(Preset.parse("lan")).isEqualTo(Preset.LAN);
    assertThat(Preset.parse("tcp")).isEqualTo(Preset.TCP);
    assertThat(Preset.parse("kubernetes")).isEqualTo(Preset.KUBERNETES);
    for (Preset p : Preset.values()) {
      assertThat(Preset.parse(p.configName())).isEqualTo(p);
    }
  }

  @Test
  void parsingIgnoresCaseAndSurroundingBlanks() {
    assertThat(Preset.parse(" Kubernetes\n")).isEqualTo(Preset.KUBERNETES);
    assertThat(Preset.parse("TCP")).isEqualTo(Preset.TCP);
  }

  @Test
  void anUnknownNameIsRefusedWithTheNamesThatExist() {
    for (String bad : List.of("udp", "", "k8s", "loop back", "kubernetes.xml")) {
      assertThatThrownBy(() -> Preset.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown JGroups preset '" + bad + "'")
          .hasMessageContaining("loopback, lan, tcp, kubernetes");
    }
  }
}
