package io.habitat.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
    for (String bad :
        List.of(
            "127.0.0.1",
            "127.0.0.1:0",
            "127.0.0.1:65536",
            ":7800",
            "host:port",
            "a,b:7800",
            "my host:7800",
            "-db-:7800",
            "::1:7800",
            "[::1]",
            "[db1]:7800",
            "")) {
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

  @Test
  void aRingKeyComesFromBytesAFileOrTheEnvironment(@TempDir Path dir) throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String base64 = Base64.getEncoder().encodeToString(key);
    Path file = dir.resolve("ring.key");
    Files.writeString(file, base64 + "\n");
    Path habitatFile = dir.resolve("shop-20250101000000.sym.key");
    Files.writeString(habitatFile, "SYM-SEC-1\nshop-20250101000000\n\n" + base64 + "\n");

    assertThat(keyless().build().keyed()).isFalse();
    assertThat(keyless().ringKey(key).build().keyed()).isTrue();
    assertThat(keyless().ringKeyFile(file).build().keyed()).isTrue();
    assertThat(keyless().ringKeyFile(habitatFile).build().keyed()).isTrue();
    assertThat(builderWithVariable(base64).build().keyed()).isTrue();
    assertThat(builderWithVariable(" ").build().keyed()).as("blank counts as unset").isFalse();
    assertThat(keyless().ringKey(key).build().rejectedMessages()).isZero();
  }

  @Test
  void badRingKeysAreRefusedWithoutQuotingThem(@TempDir Path dir) throws Exception {
    String secret = "SECRET-not-base64!";
    Path file = dir.resolve("ring.key");
    Files.writeString(file, secret);
    Path shortKey = dir.resolve("short.key");
    Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[31]));

    assertThatThrownBy(() -> keyless().ringKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fewer than 32 bytes");
    assertThatThrownBy(() -> keyless().ringKeyPassphrase("fifteen chars!!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 characters");
    assertThatThrownBy(() -> keyless().ringKeyFile(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("openssl rand -base64 32")
        .hasMessageNotContaining("SECRET")
        .hasNoCause();
    assertThatThrownBy(() -> keyless().ringKeyFile(shortKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fewer than 32 bytes");
    assertThatThrownBy(() -> keyless().ringKeyFile(dir.resolve("missing.key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read");
    assertThatThrownBy(() -> builderWithVariable(secret).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(JGroupsTransport.Builder.RING_KEY_VARIABLE)
        .hasMessageNotContaining("SECRET")
        .hasNoCause();
    assertThatThrownBy(() -> keyless().ringKey(new byte[32]).ringKeyFile(shortKey))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a ring key was already set");
  }

  private static JGroupsTransport.Builder keyless() {
    return JGroupsTransport.builder().ringName("r").environment(Map.of());
  }

  private static JGroupsTransport.Builder builderWithVariable(String value) {
    return JGroupsTransport.builder()
        .ringName("r")
        .environment(Map.of(JGroupsTransport.Builder.RING_KEY_VARIABLE, value));
  }

  @Test
  void hostNamesAndBracketedIpv6AreAcceptedWithoutBeingResolved() {
    assertThat(
            JGroupsTransport.builder()
                .initialHosts(
                    List.of("db1.example.com:7800", " 10.0.0.2:7801 ", "[fe80::1]:7800", "db3:1")))
        .isNotNull();
  }

  @Test
  void theTcpPresetNeedsInitialHosts() {
    assertThatThrownBy(
            () ->
                JGroupsTransport.builder()
                    .ringName("r")
                    .preset(Preset.TCP)
                    .bindAddress("127.0.0.1")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the tcp preset needs the members to contact")
        .hasMessageContaining("initialHosts(");
  }

  @Test
  void theKubernetesPresetNeedsADnsQueryFromTheBuilderOrTheEnvironment() {
    assertThatThrownBy(
            () ->
                JGroupsTransport.builder()
                    .ringName("r")
                    .preset(Preset.KUBERNETES)
                    .bindAddress("127.0.0.1")
                    .environment(name -> null)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("headless Service")
        .hasMessageContaining("dnsQuery(")
        .hasMessageContaining(JGroupsTransport.Builder.DNS_QUERY_ENV);
    assertThatThrownBy(
            () ->
                JGroupsTransport.builder()
                    .ringName("r")
                    .preset(Preset.KUBERNETES)
                    .bindAddress("127.0.0.1")
                    .environment(Map.of(JGroupsTransport.Builder.DNS_QUERY_ENV, "  ")::get)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(JGroupsTransport.Builder.DNS_QUERY_ENV);
  }

  @Test
  void aMalformedDnsQueryIsRefusedSayingWhereItCameFrom() {
    for (String bad : List.of("", "habitat service", "habitat..svc", "-habitat.svc", "a,,b")) {
      assertThatThrownBy(() -> JGroupsTransport.builder().dnsQuery(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a DNS name")
          .hasMessageContaining("dnsQuery(...)");
    }
    assertThatThrownBy(
            () ->
                JGroupsTransport.builder()
                    .ringName("r")
                    .preset(Preset.KUBERNETES)
                    .bindAddress("127.0.0.1")
                    .environment(
                        Map.of(JGroupsTransport.Builder.DNS_QUERY_ENV, "habitat/shop")::get)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'habitat/shop'")
        .hasMessageContaining("environment variable " + JGroupsTransport.Builder.DNS_QUERY_ENV);
    assertThat(JGroupsTransport.builder().dnsQuery("a.svc.cluster.local, b.svc.cluster.local"))
        .isNotNull();
  }

  @Test
  void anOptionThePresetDoesNotUseIsRefused() {
    assertThatThrownBy(
            () ->
                JGroupsTransport.builder()
                    .ringName("r")
                    .preset(Preset.TCP)
                    .bindAddress("127.0.0.1")
                    .initialHosts(List.of("127.0.0.1:7800"))
                    .dnsQuery("habitat.svc.cluster.local")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dnsQuery is set but the tcp preset does not use it");
    assertThatThrownBy(() -> JGroupsTransport.builder().ringName("r").multicastPort(46000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multicastPort is set but the loopback preset does not use it");
    assertThatThrownBy(
            () ->
                JGroupsTransport.builder()
                    .ringName("r")
                    .preset(Preset.LAN)
                    .bindAddress("127.0.0.1")
                    .initialHosts(List.of("127.0.0.1:7800"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialHosts is set but the lan preset does not use it")
        .hasMessageContaining("multicast");
    assertThatThrownBy(
            () ->
                JGroupsTransport.builder()
                    .ringName("r")
                    .preset(Preset.KUBERNETES)
                    .bindAddress("127.0.0.1")
                    .dnsQuery("habitat.svc.cluster.local")
                    .initialHosts(List.of("127.0.0.1:7800"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialHosts is set but the kubernetes preset does not use it");
  }

  @Test
  void multicastGroupAndPortAreChecked() {
    for (String bad : List.of("10.0.0.1", "example.com", "240.0.0.1", "239.1.2", "ff0e::1:x")) {
      assertThatThrownBy(() -> JGroupsTransport.builder().multicastAddress(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not an IP multicast group");
    }
    assertThat(JGroupsTransport.builder().multicastAddress("239.8.8.8")).isNotNull();
    assertThat(JGroupsTransport.builder().multicastAddress("ff0e::8:8:8")).isNotNull();
    for (int bad : List.of(0, -1, 65536)) {
      assertThatThrownBy(() -> JGroupsTransport.builder().multicastPort(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("multicast port " + bad + " is out of range: use 1 to 65535");
    }
  }

  @Test
  void aNetworkPresetRefusesABindAddressThatIsNeitherAnAddressNorAKeyword() {
    for (String bad : List.of("my host", "-eth0-", "SITE_LOCAL,", "match-interface:")) {
      assertThatThrownBy(
              () ->
                  JGroupsTransport.builder()
                      .ringName("r")
                      .preset(Preset.TCP)
                      .bindAddress(bad)
                      .initialHosts(List.of("127.0.0.1:7800"))
                      .build())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bind address")
          .hasMessageContaining("SITE_LOCAL");
    }
    for (String good :
        List.of("127.0.0.1", "site_local", "SITE_LOCAL,NON_LOOPBACK", "match-interface:eth.*")) {
      assertThat(
              JGroupsTransport.builder()
                  .ringName("r")
                  .preset(Preset.TCP)
                  .bindAddress(good)
                  .initialHosts(List.of("127.0.0.1:7800"))
                  .build())
          .as(good)
          .isNotNull();
    }
  }

  @Test
  void aPortBlockWithoutRoomForTheFailureDetectorIsRefused() {
    assertThatThrownBy(
            () -> JGroupsTransport.builder().ringName("r").bindPort(65500).portRange(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FD_SOCK2")
        .hasMessageContaining("bindPort of at most 65425");
  }
}
