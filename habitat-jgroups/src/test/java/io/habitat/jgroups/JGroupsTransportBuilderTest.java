package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGroupsTransportBuilderTest {

  @Test
  void aValidLoopbackBuilderBuilds() {
    assertThat(
            JGroupsTransport.builder()
                .ringName("habitat")
                .preset(Preset.LOOPBACK)
                .bindAddress("127.0.0.1")
                .bindPort(7800)
                .portRange(10)
                .initialHosts(List.of("127.0.0.1:7800", "[::1]:7801"))
                .build())
        .isNotNull();
  }

  @Test
  void aMissingRingNameIsRefused() {
    assertThatThrownBy(() -> JGroupsTransport.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ring name is not set");
  }

  @Test
  void aBadRingNameSaysWhatIsAllowed() {
    assertThatThrownBy(() -> JGroupsTransport.builder().ringName("my ring"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'my ring'")
        .hasMessageContaining("letters, digits");
  }

  @Test
  void portsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> JGroupsTransport.builder().bindPort(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 65535");
    assertThatThrownBy(() -> JGroupsTransport.builder().portRange(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> JGroupsTransport.builder().ringName("r").bindPort(65530).portRange(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ends above 65535");
  }

  @Test
  void badInitialHostsAreRefused() {
    for (String bad : List.of("127.0.0.1", "127.0.0.1:0", ":7800", "host:port", "a,b:7800")) {
      assertThatThrownBy(() -> JGroupsTransport.builder().initialHosts(List.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("host:port");
    }
    assertThatThrownBy(() -> JGroupsTransport.builder().initialHosts(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLoopbackPresetRefusesANonLoopbackAddress() {
    assertThatThrownBy(
            () -> JGroupsTransport.builder().ringName("r").bindAddress("192.0.2.1").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a loopback address");
    assertThatThrownBy(
            () ->
                JGroupsTransport.builder()
                    .ringName("r")
                    .initialHosts(List.of("192.0.2.1:7800"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial host");
  }

  @Test
  void settingAnOptionTwiceIsRefused() {
    assertThatThrownBy(() -> JGroupsTransport.builder().ringName("a").ringName("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ringName was already set");
  }

  @Test
  void aPresetAndACustomStackTogetherAreRefused(@TempDir Path dir) throws Exception {
    Path xml = dir.resolve("stack.xml");
    Files.writeString(xml, "<config xmlns=\"urn:org:jgroups\"><TCP/></config>");
    assertThatThrownBy(
            () ->
                JGroupsTransport.builder().ringName("r").preset(Preset.LOOPBACK).stack(xml).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("choose one");
  }

  @Test
  void aMissingOrBrokenStackIsRefused(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> JGroupsTransport.builder().stack(dir.resolve("nope.xml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not exist");
    Path broken = dir.resolve("broken.xml");
    Files.writeString(broken, "<config");
    assertThatThrownBy(() -> JGroupsTransport.builder().ringName("r").stack(broken).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot use the JGroups stack");
  }
}
