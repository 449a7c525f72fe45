package io.habitat.http.internal;

import com.sun.net.httpserver.HttpServer;
import io.habitat.core.HabitatException;
import io.habitat.core.Supervisor;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the JDK HTTP server, its request pool, the event streams and the routes. See
 * {@link io.habitat.http.HabitatGateway} for the contract.
 */
public final class GatewayServer {

  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

  /** Requests that may wait for a request thread; beyond that the connection is closed. */
  private static final int REQUEST_QUEUE = 32;

  private final HttpServer server;
  private final ThreadPoolExecutor requests;
  private final EventStreams streams;
  private final Routes routes;
  private final InetSocketAddress address;
  private final URI uri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GatewayServer(
      HttpServer server,
      ThreadPoolExecutor requests,
      EventStreams streams,
      Routes routes,
      InetSocketAddress address) {
    this.server = server;
    this.requests = requests;
    this.streams = streams;
    this.routes = routes;
    this.address = address;
    this.uri = uriOf(address);
  }

  /**
   * Binds and starts serving.
   *
   * @throws HabitatException if the address cannot be bound, saying why and what to do
   */
  public static GatewayServer start(Supervisor supervisor, GatewaySettings settings) {
    Dashboard dashboard = Dashboard.load();
    @Nullable MetricsEndpoint metrics =
        settings.prometheus() == null ? null : PrometheusScrape.of(settings.prometheus());
    HttpServer server;
    try {
      server = HttpServer.create(settings.address(), 64);
    } catch (IOException e) {
      throw new HabitatException(
          "the gateway cannot listen on "
              + text(settings.address())
              + " ("
              + e.getMessage()
              + "): choose another port with port(...) (0 picks a free one) or another"
              + " bindAddress(...)",
          e);
    }
    InetSocketAddress bound = server.getAddress();
    String name = "habitat-gateway-" + bound.getPort();
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor requests =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(REQUEST_QUEUE),
            r -> {
              Thread t = new Thread(r, name + "-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    Views views = new Views(supervisor);
    EventStreams streams =
        new EventStreams(
            () -> Exchanges.MAPPER.writeValueAsString(views.census()),
            settings.maxEventStreams(),
            settings.pushInterval(),
            name);
    Routes routes =
        new Routes(
            supervisor,
            views,
            streams,
            dashboard,
            metrics,
            settings.token(),
            bound.getAddress().isLoopbackAddress());
    server.createContext("/", routes);
    server.setExecutor(requests);
    server.start();
    GatewayServer gateway = new GatewayServer(server, requests, streams, routes, bound);
    supervisor.addEventListener(
        e -> {
          if (!gateway.closed.get()) {
            streams.onEvent(e);
          }
        });
    log.info(
        "habitat gateway on {} (census, health, dashboard; write calls {}; /metrics {})",
        gateway.uri,
        settings.token() == null ? "disabled: no token" : "enabled",
        metrics == null ? "off" : "on");
    if (!bound.getAddress().isLoopbackAddress()) {
      log.warn(
          "habitat gateway listens on {}, beyond this machine: anyone who reaches it reads the"
              + " census, and the token travels in plain text; use it on trusted networks only",
          text(bound));
    }
    return gateway;
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return address;
  }

  /** The dashboard's URL (on 127.0.0.1 when bound to every interface). */
  public URI uri() {
    return uri;
  }

  /** Whether write calls are enabled. */
  public boolean writesEnabled() {
    return routes.writesEnabled();
  }

  /** Whether {@code /metrics} is served. */
  public boolean metricsEnabled() {
    return routes.metricsEnabled();
  }

  /** Stops everything; idempotent. */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    streams.close();
    server.stop(0);
    requests.shutdownNow();
    try {
      if (!requests.awaitTermination(2, TimeUnit.SECONDS)) {
        log.warn("habitat gateway: request threads did not stop within 2 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("habitat gateway on {} closed", uri);
  }

  private static URI uriOf(InetSocketAddress a) {
    InetAddress ip = a.getAddress();
    String host;
    if (ip.isAnyLocalAddress()) {
      host = "127.0.0.1";
    } else if (ip instanceof Inet6Address) {
      host = "[" + ip.getHostAddress() + "]";
    } else {
      host = ip.getHostAddress();
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  private static String text(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  /** The dashboard's files, read from the jar once. */
  static final class Dashboard {
    final byte[] html;
    final byte[] css;
    final byte[] js;

    private Dashboard(byte[] html, byte[] css, byte[] js) {
      this.html = html;
      this.css = css;
      this.js = js;
    }

    static Dashboard load() {
      return new Dashboard(read("index.html"), read("dashboard.css"), read("dashboard.js"));
    }

    private static byte[] read(String file) {
      String path = "/io/habitat/http/dashboard/" + file;
      try (InputStream in = GatewayServer.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException(
              "the gateway's jar lacks " + path + ": rebuild or re-download habitat-http");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + path + " from the gateway's jar", e);
      }
    }
  }
}
