package io.habitat.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.test.process.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Boots the sample on a random port as a group of one, on a ring of its own, and reads its
 * readiness, {@code /actuator/habitat} and the leader-only job over HTTP.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "habitat.service.member-id=t1",
      "habitat.service.bootstrap-size=1",
      "sample.report.interval=100ms",
      "logging.level.io.habitat.samples=WARN"
    })
class SampleApplicationTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void ring(DynamicPropertyRegistry registry) {
    int port = FreePorts.block(1);
    String ring = "sample-test-" + Long.toHexString(System.nanoTime());
    // In the build directory, one per run, so a rerun never finds the last run's lock or terms.
    Path data = Path.of("target", "test-habitat-data", ring);
    registry.add("habitat.ring.name", () -> ring);
    registry.add("habitat.ring.bind-port", () -> port);
    registry.add("habitat.ring.port-range", () -> 1);
    registry.add("habitat.data-directory", () -> data.resolve("t1").toString());
  }

  @LocalServerPort int port;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSampleTurnsReadyOnceItsGroupIsInitialisedAndShowsItsCensus() throws Exception {
    Awaitility.await("ready")
        .atMost(BOUND)
        .until(() -> get("/actuator/health/readiness").statusCode() == 200);
    assertThat(get("/actuator/health/readiness").body()).contains("\"status\":\"UP\"");
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

    HttpResponse<String> habitat = get("/actuator/habitat");
    assertThat(habitat.statusCode()).isEqualTo(200);
    assertThat(habitat.body())
        .contains("\"sample.default\"")
        .contains("\"self\":\"t1\"")
        .contains("\"topology\":\"initializer\"")
        .contains("\"initialised\":true");

    HttpResponse<String> group = get("/actuator/habitat/sample.default");
    assertThat(group.statusCode()).isEqualTo(200);
    assertThat(group.body()).contains("\"leader\":\"t1\"");
    assertThat(get("/actuator/habitat/nobody.default").statusCode()).isEqualTo(404);

    Awaitility.await("the leader-only job ran")
        .atMost(BOUND)
        .until(() -> get("/reports").body().contains("\"runs\":[{"));
    assertThat(get("/reports").body()).contains("\"role\":\"leader\"").contains("\"term\":");
  }
}
