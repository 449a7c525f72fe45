package io.habitat.samples.initializer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.habitat.core.Census;
import io.habitat.core.Health;
import io.habitat.core.LeaderContext;
import io.habitat.core.LeaderInfo;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.jgroups.JGroupsTransport;
import io.habitat.jgroups.Preset;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One node of a small replicated key-value service, in the {@code initializer} topology: the
 * Habitat way to run a primary and its replicas.
 *
 * <ul>
 *   <li>The first leader of the group creates the initial data set in its <b>init hook</b> ({@link
 *       #seed}), once for the group's life: a later leader finds the group initialised and skips
 *       it. The hook is idempotent anyway (it writes only into an empty store).
 *   <li>No follower finishes start-up until the leader's init hook returned and its health check
 *       then reported OK. Then it <b>copies</b> the data from the leader (its exports name the
 *       address) and <b>follows</b> it: it asks for the changes after the last one it has, every
 *       {@link #POLL}.
 *   <li>On every leadership change the followers are <b>reconfigured</b>: each copies the data from
 *       the new leader and follows it.
 *   <li>Only the leader takes writes, stamping each with its term; a follower answers a write with
 *       409 and the leader's address.
 * </ul>
 *
 * <p>HTTP on 127.0.0.1: {@code GET /kv/KEY}, {@code PUT /kv/KEY} (the body is the value), {@code
 * GET /status}; between nodes {@code GET /snapshot} and {@code GET /changes?since=N}.
 *
 * <p><b>Weak consistency, honestly.</b> Replication is asynchronous: a write the leader
 * acknowledged but no follower copied yet is lost if the leader dies, and the new leader's data
 * wins. Followers serve reads that may lag the leader by a poll. Where that is not acceptable, use
 * a consensus store (Raft, ZooKeeper); the election here picks one writer per term, it does not
 * replicate the data.
 *
 * <p>Thread-safe; {@link #close()} stops everything it started.
 */
public final class KvNode implements AutoCloseable {

  /** How often a follower asks the leader for changes. */
  static final Duration POLL = Duration.ofMillis(100);

  /** The initial data set the first leader creates. */
  static final Map<String, String> SEED =
      Map.of(
          "greeting", "hello",
          "colors", "red,green,blue",
          "answer", "42",
          "motto", "one leader per term");

  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(2);

  private final String name;
  private final KvStore store;
  private final Consumer<String> events;
  private final HttpServer http;
  private final ExecutorService httpThreads;
  private final HttpClient client;
  private final ScheduledExecutorService poller;
  private final Supervisor supervisor;
  private final Service service;
  private volatile @Nullable LeaderContext leadership;
  private volatile @Nullable LeaderInfo following;
  private volatile boolean synced;
  private final ScheduledFuture<?> polling;

  /**
   * Starts a node: its HTTP server on 127.0.0.1 ({@code httpPort}, 0 for any free port), then its
   * member of group {@code kv.demo} on the JGroups loopback preset. Returns at once; {@link
   * Service#ready()} tells when start-up finished.
   *
   * @param events receives one line per thing worth showing (init, copies, writes), on the node's
   *     threads
   */
  public static KvNode start(
      String name,
      String ring,
      int basePort,
      int ports,
      Path dataDirectory,
      int httpPort,
      Consumer<String> events) {
    return new KvNode(name, ring, basePort, ports, dataDirectory, httpPort, events);
  }

  private KvNode(
      String name,
      String ring,
      int basePort,
      int ports,
      Path dataDirectory,
      int httpPort,
      Consumer<String> events) {
    this.name = name;
    this.events = events;
    this.store = new KvStore(dataDirectory.resolve("kv.json"));
    this.client = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kv-" + name + "-follow");
              t.setDaemon(true);
              return t;
            });
    this.httpThreads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "kv-" + name + "-http");
              t.setDaemon(true);
              return t;
            });
    try {
      this.http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + httpPort, e);
    }
    http.setExecutor(httpThreads);
    http.createContext("/kv/", this::kv);
    http.createContext("/snapshot", this::snapshot);
    http.createContext("/changes", this::changes);
    http.createContext("/status", this::status);
    http.start();

    this.supervisor =
        Supervisor.builder()
            .name(name)
            .transport(
                JGroupsTransport.builder()
                    .ringName(ring)
                    .preset(Preset.LOOPBACK)
                    .bindPort(basePort)
                    .portRange(ports)
                    .memberName(name)
                    .build())
            .dataDirectory(dataDirectory.resolve("habitat"))
            .build();
    ServiceConfig config =
        ServiceConfig.builder(ServiceGroup.parse("kv.demo"))
            .topology(Topology.INITIALIZER)
            .memberId(MemberId.of(name))
            .exports(Map.of("host", "127.0.0.1", "port", Integer.toString(httpPort())))
            .init(this::seed)
            .healthCheck(() -> synced ? Health.OK : Health.WARNING)
            .onElected(
                ctx -> {
                  leadership = ctx;
                  following = null;
                  synced = true;
                  events.accept(name + " leads term " + ctx.term().value() + ": takes writes");
                })
            .onRevoked(ctx -> leadership = null)
            .onReconfigure(this::reconfigured)
            .build();
    this.service = supervisor.register(config);
    // Not on the thread that completes ready() (the protocol thread): copying takes a round trip.
    service.ready().thenRunAsync(this::startedUp, poller);
    supervisor.start();
    this.polling =
        poller.scheduleWithFixedDelay(
            this::pollSafely, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The node's name and member id. */
  public String name() {
    return name;
  }

  /** The port of the node's HTTP server on 127.0.0.1. */
  public int httpPort() {
    return http.getAddress().getPort();
  }

  /** The node's member of the group. */
  public Service service() {
    return service;
  }

  /** The node's data, for display and tests. */
  Map<String, String> values() {
    return store.values();
  }

  /** The leader this node copied from last and follows, if it follows one. */
  Optional<LeaderInfo> following() {
    return Optional.ofNullable(following);
  }

  /** The number of the last change the node has. */
  long version() {
    return store.version();
  }

  /**
   * The init hook, on the first leader: writes the initial data set into an empty store. Runs again
   * only if it failed or the leader died before it finished: it must be idempotent.
   */
  private void seed(LeaderContext ctx) {
    if (store.size() > 0) {
      events.accept(name + " init: the data is there already; nothing to create");
      return;
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(SEED).entrySet()) {
      store.put(e.getKey(), e.getValue(), ctx.term().value());
    }
    synced = true;
    events.accept(
        name
            + " init: created the initial data set ("
            + store.size()
            + " keys) in term "
            + ctx.term().value());
  }

  /** The group finished start-up for this node: a follower copies from the leader now. */
  private void startedUp() {
    events.accept(name + " ready: the group is initialised");
    if (service.isLeader()) {
      return;
    }
    Census census = service.census();
    Optional<Census.Member> leader = census.leaderId().flatMap(census::member);
    if (leader.isPresent()) {
      try {
        follow(
            new LeaderInfo(
                leader.get().id(), leader.get().address(), leader.get().exports(), census.term()),
            "copied");
      } catch (RuntimeException e) {
        events.accept(
            name + " could not copy from " + leader.get().id() + " yet: " + e.getMessage());
      }
    }
  }

  /** The reconfigure hook: a new leader; copy from it and follow it (once started up). */
  private void reconfigured(LeaderInfo leader) {
    if (!service.ready().toCompletableFuture().isDone()) {
      return;
    }
    follow(leader, "reconfigured: copied");
  }

  private synchronized void follow(LeaderInfo leader, String what) {
    KvStore.Snapshot s = KvStore.parse(get(leader, "/snapshot"), KvStore.Snapshot.class);
    store.load(s);
    following = leader;
    synced = true;
    events.accept(
        name
            + " "
            + what
            + " "
            + s.entries().size()
            + " keys (version "
            + s.version()
            + ") from "
            + leader.id()
            + ", leader of term "
            + leader.term().value()
            + "; following it");
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // The leader may be gone; the next reconfiguration names the new one.
    }
  }

  private synchronized void poll() {
    LeaderInfo leader = following;
    if (leader == null || service.isLeader()) {
      return;
    }
    Changes changes =
        KvStore.parse(get(leader, "/changes?since=" + store.version()), Changes.class);
    if (changes.resync()) {
      follow(leader, "behind: copied");
      return;
    }
    for (KvStore.Change c : changes.changes()) {
      if (!store.apply(c)) {
        follow(leader, "out of order: copied");
        return;
      }
      events.accept(name + " copied change " + c.version() + ": " + c.key() + "=" + c.value());
    }
  }

  /** The answer to {@code /changes}: the changes, or {@code resync} if a snapshot is needed. */
  record Changes(boolean resync, List<KvStore.Change> changes) {}

  private String get(LeaderInfo leader, String path) {
    String host = leader.exports().getOrDefault("host", "127.0.0.1");
    String port = leader.exports().get("port");
    if (port == null) {
      throw new IllegalStateException(leader.id() + " exports no port");
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
            .timeout(HTTP_TIMEOUT)
            .build();
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + leader.id() + " at " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  // ------------------------------------------------------------------ HTTP

  private void kv(HttpExchange x) throws IOException {
    try {
      String key = x.getRequestURI().getPath().substring("/kv/".length());
      switch (x.getRequestMethod()) {
        case "GET" -> {
          Optional<KvStore.Entry> e = store.get(key);
          if (e.isEmpty()) {
            reply(x, 404, error("no key '" + key + "'", "write it on the leader first"));
            return;
          }
          x.getResponseHeaders().add("X-Kv-Term", Long.toString(e.get().term()));
          x.getResponseHeaders().add("X-Kv-Version", Long.toString(e.get().version()));
          reply(x, 200, e.get().value());
        }
        case "PUT" -> put(x, key);
        default -> reply(x, 405, error("use GET or PUT on /kv/KEY", "for example: curl -X PUT"));
      }
    } finally {
      x.close();
    }
  }

  private void put(HttpExchange x, String key) throws IOException {
    String value;
    try (InputStream in = x.getRequestBody()) {
      byte[] body = in.readNBytes(KvStore.MAX_VALUE_CHARS * 4 + 1);
      value = new String(body, StandardCharsets.UTF_8);
    }
    LeaderContext ctx = leadership;
    if (ctx == null || !ctx.isLeader()) {
      LeaderInfo leader = following;
      reply(
          x,
          409,
          error(
              name + " does not lead; only the leader takes writes",
              leader == null
                  ? "wait for the election and try the leader"
                  : "write to "
                      + leader.id()
                      + " at http://127.0.0.1:"
                      + leader.exports().get("port")
                      + "/kv/"
                      + key));
      return;
    }
    try {
      KvStore.Change c = store.put(key, value, ctx.term().value());
      events.accept(
          name
              + " wrote change "
              + c.version()
              + ": "
              + key
              + "="
              + value
              + " in term "
              + c.term());
      reply(x, 200, KvStore.json(Map.of("version", c.version(), "term", c.term())));
    } catch (IllegalArgumentException e) {
      reply(x, 400, error(e.getMessage(), "keys: [A-Za-z0-9._-]{1,128}; values up to 4096 chars"));
    }
  }

  private void snapshot(HttpExchange x) throws IOException {
    try {
      reply(x, 200, KvStore.json(store.snapshot()));
    } finally {
      x.close();
    }
  }

  private void changes(HttpExchange x) throws IOException {
    try {
      String query = Optional.ofNullable(x.getRequestURI().getQuery()).orElse("");
      long since;
      try {
        since = Long.parseLong(query.replaceFirst("^since=", ""));
      } catch (NumberFormatException e) {
        reply(x, 400, error("bad query '" + query + "'", "use /changes?since=N"));
        return;
      }
      Optional<List<KvStore.Change>> after = store.since(since);
      reply(x, 200, KvStore.json(new Changes(after.isEmpty(), after.orElse(List.of()))));
    } finally {
      x.close();
    }
  }

  private void status(HttpExchange x) throws IOException {
    try {
      Census c = service.census();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("member", name);
      out.put("role", c.role().configName());
      out.put("term", c.term().value());
      out.put("leader", c.leaderId().map(MemberId::value).orElse(""));
      out.put("version", store.version());
      out.put("data", store.values());
      reply(x, 200, KvStore.json(out));
    } finally {
      x.close();
    }
  }

  private static String error(@Nullable String what, String hint) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", String.valueOf(what));
    body.put("hint", hint);
    return KvStore.json(body);
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Leaves the group gracefully (a leader hands over first) and stops the HTTP server. */
  @Override
  public void close() {
    polling.cancel(false);
    poller.shutdownNow();
    supervisor.close();
    http.stop(0);
    httpThreads.shutdownNow();
  }
}
