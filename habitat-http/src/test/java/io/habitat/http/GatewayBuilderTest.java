package io.habitat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.Transport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The builder's checks and the gateway's lifecycle, on a supervisor that is never started (the
 * gateway serves a supervisor in any state, and never starts or closes it).
 */
class GatewayBuilderTest {

  private Supervisor supervisor;

  @BeforeEach
  void latentSupervisor(@TempDir Path dir) {
    supervisor = Supervisor.builder().transport(new UnusedTransport()).dataDirectory(dir).build();
    supervisor.register(
        ServiceConfig.builder(ServiceGroup.parse("db.latent"))
            .topology(Topology.LEADER)
            .memberId(MemberId.of("a"))
            .build());
  }

  @AfterEach
  void close() {
    supervisor.close();
  }

  @Test
  void byDefaultItListensOn127001WithWritesAndMetricsOff() {
    try (HabitatGateway gw = HabitatGateway.builder(supervisor).port(0).start()) {
      assertThat(gw.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(gw.port()).isPositive();
      assertThat(gw.uri().toString()).isEqualTo("http://127.0.0.1:" + gw.port() + "/");
      assertThat(gw.writesEnabled()).isFalse();
      assertThat(gw.metricsEnabled()).isFalse();
      assertThat(gw.toString()).contains(gw.uri().toString());
    }
    assertThat(HabitatGateway.DEFAULT_PORT).isEqualTo(9631);
  }

  @Test
  void aLatentSupervisorIsServedItsCensusWithHealth503AndStaysLatent() {
    try (HabitatGateway gw = HabitatGateway.builder(supervisor).port(0).start()) {
      Http http = new Http(gw);

      JsonNode census = Http.json(http.get("/census"));
      assertThat(census.get("state").asString()).isEqualTo("latent");
      assertThat(census.get("groups").get(0).get("group").asString()).isEqualTo("db.latent");
      JsonNode service = Http.json(http.get("/services")).get(0);
      assertThat(service.get("member").isNull()).isTrue();
      var health = http.get("/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(Http.json(health).get("services").get(0).get("reason").asString())
          .isEqualTo("the supervisor is latent");
    }
    assertThat(supervisor.state()).isEqualTo(Supervisor.State.LATENT);
  }

  @Test
  void anInternalErrorIsA500WithoutDetailsAndTheGatewayGoesOn() {
    PrometheusMeterRegistry failing =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) {
          @Override
          public String scrape() {
            throw new IllegalStateException("secret detail");
          }
        };
    try (HabitatGateway gw =
        HabitatGateway.builder(supervisor).port(0).prometheus(failing).start()) {
      Http http = new Http(gw);

      var r = http.get("/metrics");

      assertThat(r.statusCode()).isEqualTo(500);
      JsonNode body = Http.json(r);
      assertThat(body.get("error").asString())
          .isEqualTo("internal error: java.lang.IllegalStateException");
      assertThat(body.get("hint").asString()).contains("io.habitat.http");
      assertThat(r.body()).doesNotContain("secret detail");
      assertThat(http.get("/census").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void everyOptionMayBeSetOnce() {
    HabitatGateway.Builder b = HabitatGateway.builder(supervisor).port(0);
    assertThatThrownBy(() -> b.port(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("port was already set");
    b.token("0123456789abcdef");
    assertThatThrownBy(() -> b.token("0123456789abcdefg")).hasMessage("token was already set");
    b.bindAddress("127.0.0.1");
    assertThatThrownBy(() -> b.bindAddress("127.0.0.1")).hasMessage("bindAddress was already set");
    b.threads(1);
    assertThatThrownBy(() -> b.threads(2)).hasMessage("threads was already set");
    b.maxEventStreams(1);
    assertThatThrownBy(() -> b.maxEventStreams(2)).hasMessage("maxEventStreams was already set");
    b.pushInterval(Duration.ofSeconds(1));
    assertThatThrownBy(() -> b.pushInterval(Duration.ofSeconds(2)))
        .hasMessage("pushInterval was already set");
  }

  @Test
  void badValuesAreRefusedNamingTheOptionAndTheBound() {
    HabitatGateway.Builder b = HabitatGateway.builder(supervisor);
    assertThatThrownBy(() -> b.port(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be 0 to 65535 (0: any free port), was -1");
    assertThatThrownBy(() -> b.port(65_536)).hasMessageContaining("was 65536");
    assertThatThrownBy(() -> b.threads(0)).hasMessage("threads must be 1 to 32, was 0");
    assertThatThrownBy(() -> b.maxEventStreams(65))
        .hasMessage("maxEventStreams must be 0 to 64, was 65");
    assertThatThrownBy(() -> b.pushInterval(Duration.ofMillis(10)))
        .hasMessage("pushInterval must be 50 ms to 10 s, was 10 ms");
    assertThatThrownBy(() -> b.bindAddress(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bindAddress is blank");
  }

  @Test
  void aWeakTokenIsRefusedWithoutRepeatingIt() {
    HabitatGateway.Builder b = HabitatGateway.builder(supervisor);
    assertThatThrownBy(() -> b.token("hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token has 7 characters; it needs 16 to 512")
        .hasMessageContaining("openssl rand -base64 32")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> b.token("correct horse battery staple"))
        .hasMessageContaining("not visible ASCII at position 8")
        .hasMessageNotContaining("horse");
    assertThatThrownBy(() -> b.token("x".repeat(513))).hasMessageContaining("513 characters");
  }

  @Test
  void aTokenFileIsReadWithoutItsFinalNewline(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gateway.token");
    Files.writeString(file, "0123456789abcdef0123\n", StandardCharsets.UTF_8);
    try (HabitatGateway gw = HabitatGateway.builder(supervisor).port(0).tokenFile(file).start()) {
      assertThat(gw.writesEnabled()).isTrue();
      // the token is accepted; the call is then refused as the supervisor is not started
      var r = new Http(gw).post("/census/db.latent/reelect", "", "0123456789abcdef0123");
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(Http.json(r).get("error").asString()).isEqualTo("the supervisor is latent");
      var wrong = new Http(gw).post("/census/db.latent/reelect", "", "0123456789abcdef012");
      assertThat(wrong.statusCode()).isEqualTo(401);
    }
    assertThatThrownBy(() -> HabitatGateway.builder(supervisor).tokenFile(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read")
        .hasMessageContaining("missing");
  }

  @Test
  void aPortInUseIsAHabitatExceptionSayingWhatToDo() {
    try (HabitatGateway first = HabitatGateway.builder(supervisor).port(0).start()) {
      assertThatThrownBy(() -> HabitatGateway.builder(supervisor).port(first.port()).start())
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port())
          .hasMessageContaining("port(...)");
    }
  }

  @Test
  void closeIsIdempotentFreesThePortAndStopsItsThreads() {
    HabitatGateway gw = HabitatGateway.builder(supervisor).port(0).start();
    int port = gw.port();
    new Http(gw).get("/census");
    assertThat(threadsOf(port)).isPositive();

    gw.close();
    gw.close();

    Awaitility.await("the gateway's threads are gone")
        .atMost(Duration.ofSeconds(10))
        .until(() -> threadsOf(port) == 0);
    try (HabitatGateway again = HabitatGateway.builder(supervisor).port(port).start()) {
      assertThat(again.port()).isEqualTo(port);
    }
  }

  private static long threadsOf(int port) {
    String prefix = "habitat-gateway-" + port + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  /** A transport for a supervisor that is never started. */
  private static final class UnusedTransport implements Transport {
    @Override
    public void start(Receiver receiver) {
      throw new IllegalStateException("not used");
    }

    @Override
    public RingAddress localAddress() {
      throw new IllegalStateException("not used");
    }

    @Override
    public void send(RingAddress to, byte[] message) {}

    @Override
    public void sendToAll(byte[] message) {}

    @Override
    public void close() {}
  }
}
