package io.habitat.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.core.metrics.HabitatMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The read side of the gateway over a real group of three supervisors on JGroups loopback channels:
 * census, services, health (every status), metrics, the dashboard's files, the event stream, and
 * the refusals of paths, methods and hosts.
 */
class GatewayReadTest {

  private static final ServiceGroup DB = ServiceGroup.parse("db.main");
  private static final ServiceGroup CACHE = ServiceGroup.parse("cache.main");
  private static final ServiceGroup BOOT = ServiceGroup.parse("boot.main");

  /** What the health check of cache.main on member a reports; null makes it throw. */
  private static final AtomicReference<Health> cacheHealth = new AtomicReference<>(Health.OK);

  private static final CountDownLatch bootInit = new CountDownLatch(1);

  private static LoopbackRing ring;
  private static HabitatGateway gwA;
  private static HabitatGateway gwB;
  private static Http a;
  private static Http b;

  @BeforeAll
  static void startRing(@TempDir Path dir) {
    ring = new LoopbackRing(dir);
    Supervisor sa = ring.supervisor("a");
    Supervisor sb = ring.supervisor("b");
    Supervisor sc = ring.supervisor("c");
    Service dbA = sa.register(db("a", 1));
    sa.register(
        ServiceConfig.builder(CACHE)
            .topology(Topology.STANDALONE)
            .memberId(MemberId.of("a"))
            .healthInterval(Duration.ofMillis(50))
            .healthCheck(
                () -> {
                  Health h = cacheHealth.get();
                  if (h == null) {
                    throw new IllegalStateException("the check cannot run");
                  }
                  return h;
                })
            .exports(java.util.Map.of("host", "127.0.0.1", "port", "6379"))
            .build());
    Service dbB = sb.register(db("b", 2));
    sb.register(
        ServiceConfig.builder(BOOT)
            .topology(Topology.INITIALIZER)
            .memberId(MemberId.of("b"))
            .bootstrapSize(1)
            .healthInterval(Duration.ofMillis(50))
            .init(ctx -> bootInit.await())
            .build());
    Service dbC = sc.register(db("c", 3));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new HabitatMetrics(sa).bindTo(registry);
    gwA = HabitatGateway.builder(sa).port(0).prometheus(registry).start();
    gwB = HabitatGateway.builder(sb).port(0).maxEventStreams(1).start();
    a = new Http(gwA);
    b = new Http(gwB);
    ring.startAll();
    LoopbackRing.awaitLeader(List.of(dbA, dbB, dbC), "c");
  }

  @AfterAll
  static void stopRing() {
    bootInit.countDown();
    if (gwA != null) {
      gwA.close();
    }
    if (gwB != null) {
      gwB.close();
    }
    if (ring != null) {
      ring.close();
    }
  }

  private static ServiceConfig db(String name, int suitability) {
    return ServiceConfig.builder(DB)
        .topology(Topology.LEADER)
        .memberId(MemberId.of(name))
        .suitability(suitability)
        .build();
  }

  @Test
  void censusListsEveryGroupOfTheSupervisorInTheOrderTheyWereRegistered() {
    HttpResponse<String> r = a.get("/census");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    JsonNode body = Http.json(r);
    assertThat(body.get("state").asString()).isEqualTo("started");
    assertThat(body.get("groups").size()).isEqualTo(2);
    JsonNode db = body.get("groups").get(0);
    assertThat(db.get("group").asString()).isEqualTo("db.main");
    assertThat(db.get("self").asString()).isEqualTo("a");
    assertThat(db.get("leader").asString()).isEqualTo("c");
    assertThat(db.get("members").size()).isEqualTo(3);
    assertThat(body.get("groups").get(1).get("group").asString()).isEqualTo("cache.main");
  }

  @Test
  void censusOfOneGroupIsThatGroupsCensusAsCensusJsonRendersIt() {
    JsonNode db = Http.json(a.get("/census/db.main"));

    assertThat(db.get("group").asString()).isEqualTo("db.main");
    assertThat(db.get("topology").asString()).isEqualTo("leader");
    assertThat(db.get("election").asString()).isEqualTo("settled");
    assertThat(db.get("voters").size()).isEqualTo(3);
    JsonNode cache = Http.json(a.get("/census/cache.main"));
    assertThat(cache.get("members").get(0).get("exports").get("port").asString()).isEqualTo("6379");
  }

  @Test
  void anUnknownGroupIs404AndAMalformedGroupNameIs400() {
    HttpResponse<String> unknown = a.get("/census/nope.main");
    assertThat(unknown.statusCode()).isEqualTo(404);
    JsonNode u = Http.json(unknown);
    assertThat(u.get("error").asString()).contains("no member of nope.main");
    assertThat(u.get("hint").asString()).contains("db.main, cache.main");

    HttpResponse<String> malformed = a.get("/census/a.b.c");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(Http.json(malformed).get("error").asString()).contains("more than one '.'");

    assertThat(a.get("/health/nope.main").statusCode()).isEqualTo(404);
    assertThat(a.get("/services/nope.main").statusCode()).isEqualTo(404);
  }

  @Test
  void servicesListsThisMembersServices() {
    JsonNode services = Http.json(a.get("/services"));

    assertThat(services.size()).isEqualTo(2);
    JsonNode db = services.get(0);
    assertThat(db.get("group").asString()).isEqualTo("db.main");
    assertThat(db.get("member").asString()).isEqualTo("a");
    assertThat(db.get("role").asString()).isEqualTo("follower");
    assertThat(db.get("leader").asBoolean()).isFalse();
    assertThat(db.get("groupLeader").asString()).isEqualTo("c");
    assertThat(db.get("ready").asBoolean()).isTrue();
    assertThat(services.get(1).get("exports").get("host").asString()).isEqualTo("127.0.0.1");
    assertThat(Http.json(a.get("/services/cache.main")).get("topology").asString())
        .isEqualTo("standalone");
  }

  @Test
  void healthFollowsTheHealthCheck200ForOkAndWarning503ForCritical500ForUnknown() {
    try {
      awaitHealth("/health/cache.main", 200, "ok");
      assertThat(a.get("/health").statusCode()).isEqualTo(200);

      cacheHealth.set(Health.WARNING);
      awaitHealth("/health/cache.main", 200, "warning");
      assertThat(a.get("/health").statusCode()).isEqualTo(200);

      cacheHealth.set(Health.CRITICAL);
      awaitHealth("/health/cache.main", 503, "critical");
      JsonNode all = Http.json(a.get("/health"));
      assertThat(all.get("status").asInt()).isEqualTo(503);
      assertThat(all.get("health").asString()).isEqualTo("critical");
      assertThat(a.get("/health/db.main").statusCode()).isEqualTo(200);

      cacheHealth.set(null); // the check throws: unknown
      awaitHealth("/health/cache.main", 500, "unknown");
      assertThat(a.get("/health").statusCode()).isEqualTo(500);
    } finally {
      cacheHealth.set(Health.OK);
      awaitHealth("/health/cache.main", 200, "ok");
    }
  }

  private static void awaitHealth(String path, int status, String health) {
    Awaitility.await(path + " reports " + health + " with " + status)
        .atMost(LoopbackRing.BOUND)
        .until(
            () -> {
              HttpResponse<String> r = a.get(path);
              return r.statusCode() == status
                  && Http.json(r).get("health").asString().equals(health);
            });
  }

  @Test
  void healthIs503WhileTheInitializerGateIsClosedAnd200OnceTheGroupIsInitialised() {
    HttpResponse<String> gated = b.get("/health/boot.main");
    assertThat(gated.statusCode()).isEqualTo(503);
    JsonNode g = Http.json(gated);
    assertThat(g.get("ready").asBoolean()).isFalse();
    assertThat(g.get("reason").asString()).contains("initializer gate closed");
    assertThat(b.get("/health").statusCode()).isEqualTo(503);
    assertThat(
            Http.json(b.get("/census/boot.main"))
                .get("initialisation")
                .get("initialised")
                .asBoolean())
        .isFalse();

    bootInit.countDown();

    Awaitility.await("boot.main is initialised and b healthy")
        .atMost(LoopbackRing.BOUND)
        .until(() -> b.get("/health").statusCode() == 200);
    JsonNode ready = Http.json(b.get("/health/boot.main"));
    assertThat(ready.get("ready").asBoolean()).isTrue();
    assertThat(ready.get("reason").isNull()).isTrue();
  }

  @Test
  void metricsServeThePrometheusRegistryAndAreA404WithAHintWithoutOne() {
    HttpResponse<String> r = a.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(r.body()).contains("habitat_term{").contains("group=\"db.main\"");
    assertThat(gwA.metricsEnabled()).isTrue();

    HttpResponse<String> none = b.get("/metrics");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(Http.json(none).get("hint").asString())
        .contains("micrometer-registry-prometheus")
        .contains(".prometheus(registry)");
    assertThat(gwB.metricsEnabled()).isFalse();
  }

  @Test
  void theDashboardIsServedWithAStrictContentSecurityPolicy() {
    HttpResponse<String> page = a.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp -> assertThat(csp).contains("default-src 'none'").contains("script-src 'self'"));
    assertThat(page.body()).contains("<script src=\"dashboard.js\" defer></script>");

    HttpResponse<String> js = a.get("/dashboard.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(js.body()).contains("new EventSource('events')");
    assertThat(a.get("/dashboard.css").headers().firstValue("Content-Type"))
        .hasValue("text/css; charset=utf-8");
  }

  @Test
  void headAnswersWithHeadersOnly() {
    HttpResponse<String> head = a.method("HEAD", "/census");

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValueAsLong("Content-Length").orElse(0)).isPositive();
  }

  @Test
  void anUnknownPathIs404AndAWrongMethodIs405WithAllow() {
    HttpResponse<String> unknown = a.get("/nothing/here");
    assertThat(unknown.statusCode()).isEqualTo(404);
    JsonNode u = Http.json(unknown);
    assertThat(u.get("error").asString()).isEqualTo("no endpoint at /nothing/here");
    assertThat(u.get("hint").asString()).contains("GET /census");

    HttpResponse<String> post = a.post("/census", "", (String) null);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(Http.json(post).get("error").asString()).contains("POST is not allowed");

    HttpResponse<String> getOnWrite = a.get("/census/db.main/yield");
    assertThat(getOnWrite.statusCode()).isEqualTo(405);
    assertThat(getOnWrite.headers().firstValue("Allow")).hasValue("POST");

    assertThat(a.method("DELETE", "/health").statusCode()).isEqualTo(405);
    assertThat(a.get("/census/db.main/nonsense").statusCode()).isEqualTo(404);
  }

  @Test
  void aRequestAddressedToAnotherHostIsRefusedOnALoopbackGateway() throws IOException {
    String evil = rawGet(gwA, "evil.example:" + gwA.port());
    assertThat(evil).startsWith("HTTP/1.1 403");
    assertThat(evil).contains("not a loopback name").contains("DNS rebinding");

    assertThat(rawGet(gwA, "localhost:" + gwA.port())).startsWith("HTTP/1.1 200");
    assertThat(rawGet(gwA, "127.0.0.1:" + gwA.port())).startsWith("HTTP/1.1 200");
  }

  private static String rawGet(HabitatGateway gw, String host) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(gw.address(), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /health/db.main HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anEventStreamStartsWithTheCensusAndPushesEveryChange() throws Exception {
    HttpResponse<InputStream> r =
        Http.CLIENT.send(
            a.request("/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = readLines(r.body(), lines);
    try {
      assertThat(nextData(lines, "census")).contains("\"group\":\"db.main\"");

      cacheHealth.set(Health.WARNING);

      Awaitility.await("a census with cache.main warning arrives on the stream")
          .atMost(LoopbackRing.BOUND)
          .until(() -> nextData(lines, "census").contains("\"health\":\"warning\""));
    } finally {
      cacheHealth.set(Health.OK);
      r.body().close();
      reader.interrupt();
    }
    awaitHealth("/health/cache.main", 200, "ok");
  }

  @Test
  void aStreamBeyondTheLimitIsRefusedWith503AndAHintToPoll() throws Exception {
    HttpResponse<InputStream> first =
        Http.CLIENT.send(
            b.request("/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try {
      assertThat(first.statusCode()).isEqualTo(200);

      HttpResponse<String> second = b.get("/events");

      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(Http.json(second).get("hint").asString()).contains("poll GET /census");
    } finally {
      first.body().close();
    }
    Awaitility.await("the slot is free again once the first stream is gone")
        .atMost(LoopbackRing.BOUND)
        .until(
            () -> {
              HttpResponse<InputStream> again =
                  Http.CLIENT.send(
                      b.request("/events").GET().build(),
                      HttpResponse.BodyHandlers.ofInputStream());
              again.body().close();
              return again.statusCode() == 200;
            });
  }

  /** The data of the next message of that event type (skipping others); waits up to the bound. */
  private static String nextData(BlockingQueue<String> lines, String event)
      throws InterruptedException {
    String current = null;
    while (true) {
      String line =
          lines.poll(LoopbackRing.BOUND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("no '" + event + "' message within " + LoopbackRing.BOUND);
      }
      if (line.startsWith("event: ")) {
        current = line.substring(7);
      } else if (line.startsWith("data: ") && event.equals(current)) {
        return line.substring(6);
      }
    }
  }

  private static Thread readLines(InputStream in, BlockingQueue<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the test closed the stream
              }
            },
            "sse-reader");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
