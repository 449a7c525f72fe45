package io.habitat.http;

import io.habitat.core.HabitatException;
import io.habitat.core.Supervisor;
import io.habitat.http.internal.GatewayServer;
import io.habitat.http.internal.GatewaySettings;
import io.habitat.http.internal.Tokens;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP gateway for one {@link Supervisor}, on the JDK's built-in HTTP server: the census, the
 * services, health and metrics for anyone who can reach it, operator calls (yield, re-elect, group
 * config, depart) for callers with the bearer token, and a live census dashboard at {@code /}. It
 * is off unless the application starts one:
 *
 * <pre>{@code
 * HabitatGateway gateway = HabitatGateway.builder(supervisor)
 *     .port(9631)                       // the default, as Habitat's gateway
 *     .token(System.getenv("HABITAT_GATEWAY_TOKEN"))   // optional: enables the write calls
 *     .start();
 * System.out.println("census dashboard: " + gateway.uri());
 * ...
 * gateway.close();
 * }</pre>
 *
 * <p>The endpoints, their JSON and status codes are listed in {@code docs/gateway.md}.
 *
 * <p><b>Threads.</b> Requests are served by a small pool of the gateway's own threads ({@link
 * Builder#threads}, with a bounded queue; a request that finds the queue full has its connection
 * closed), never on the supervisor's protocol thread. Reads return the latest census the protocol
 * published, without blocking it. Each open event stream ({@code /events}) has a thread of its own,
 * up to {@link Builder#maxEventStreams}. The gateway listens to the supervisor's events ({@link
 * Supervisor#addEventListener}) and only queues them, so it never slows their delivery.
 *
 * <p><b>Races.</b> What a response says may have changed by the time the caller reads it: the
 * system is weakly consistent and the gateway shows what its own member sees. A write call checks
 * its preconditions (for example that this member leads, for a yield) and then acts; the group may
 * move in between, and the response says what was asked, not what the group did.
 *
 * <p><b>Lifecycle.</b> {@link Builder#start()} binds the port and serves until {@link #close()},
 * which is idempotent, closes open event streams, stops the server and its threads, and returns
 * within a few seconds. The gateway neither starts nor closes the supervisor; it serves a
 * supervisor in any state (before {@link Supervisor#start()} the census is the initial one). All
 * methods are thread-safe.
 *
 * <p><b>Security.</b> It binds to 127.0.0.1 unless told otherwise, and while bound to a loopback
 * address it answers only requests addressed to a loopback name (a guard against DNS rebinding).
 * Reads need no token. The token travels in plain HTTP: bind beyond loopback only on trusted
 * networks, or behind a TLS proxy.
 */
public final class HabitatGateway implements AutoCloseable {

  /** The default port: Habitat's gateway port. */
  public static final int DEFAULT_PORT = 9631;

  /** The default bind address. */
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

  private final GatewayServer server;

  private HabitatGateway(GatewayServer server) {
    this.server = server;
  }

  /**
   * A builder for a gateway of the given supervisor.
   *
   * @throws NullPointerException if {@code supervisor} is null
   */
  public static Builder builder(Supervisor supervisor) {
    return new Builder(Objects.requireNonNull(supervisor, "supervisor"));
  }

  /** The address the gateway listens on (the port is the actual one when {@code port(0)}). */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The port the gateway listens on. */
  public int port() {
    return server.address().getPort();
  }

  /** The dashboard's URL, for example {@code http://127.0.0.1:9631/}. */
  public URI uri() {
    return server.uri();
  }

  /** Whether write calls are enabled: true when a token was configured. */
  public boolean writesEnabled() {
    return server.writesEnabled();
  }

  /** Whether {@code /metrics} is served: true when a Prometheus registry was given. */
  public boolean metricsEnabled() {
    return server.metricsEnabled();
  }

  /**
   * Stops serving: closes the open event streams, stops the HTTP server (requests in flight are cut
   * off) and its threads. Idempotent; blocks for at most a few seconds. The supervisor is left as
   * it is; the event listener the gateway added to it stays, doing nothing (a supervisor's
   * listeners cannot be removed).
   */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "HabitatGateway[" + uri() + (writesEnabled() ? ", writes enabled" : "") + "]";
  }

  /**
   * Configures and starts a {@link HabitatGateway}. Each option may be set once; each is checked
   * when it is set, with a message that names the option and the allowed values. Not thread-safe.
   */
  public static final class Builder {
    private final Supervisor supervisor;
    private @Nullable Integer port;
    private @Nullable InetAddress bindAddress;
    private @Nullable String token;
    private @Nullable Integer threads;
    private @Nullable Integer maxEventStreams;
    private @Nullable Duration pushInterval;
    // Typed Object so that this class loads without micrometer-registry-prometheus.
    private @Nullable Object prometheus;

    private Builder(Supervisor supervisor) {
      this.supervisor = supervisor;
    }

    /**
     * The TCP port: {@value HabitatGateway#DEFAULT_PORT} by default; 0 picks a free port ({@link
     * HabitatGateway#port()} then tells which).
     *
     * @throws IllegalArgumentException if not within 0 to 65535
     */
    public Builder port(int port) {
      requireUnset(this.port, "port");
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException(
            "port must be 0 to 65535 (0: any free port), was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The address to listen on: {@value HabitatGateway#DEFAULT_BIND_ADDRESS} by default. An IP
     * literal ({@code 0.0.0.0} for every interface) or a host name, resolved now. Anything but a
     * loopback address makes the census readable from other machines and sends the token over the
     * network in plain text: use it on trusted networks only.
     *
     * @throws IllegalArgumentException if it is blank or does not resolve
     */
    public Builder bindAddress(String address) {
      requireUnset(this.bindAddress, "bindAddress");
      Objects.requireNonNull(address, "bindAddress");
      if (address.isBlank()) {
        throw new IllegalArgumentException(
            "bindAddress is blank: give an IP address such as 127.0.0.1 or 0.0.0.0, or a host name");
      }
      try {
        this.bindAddress = InetAddress.getByName(address.trim());
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "bindAddress '"
                + address
                + "' does not resolve: give an IP address or a known host name",
            e);
      }
      return this;
    }

    /** The address to listen on; see {@link #bindAddress(String)}. */
    public Builder bindAddress(InetAddress address) {
      requireUnset(this.bindAddress, "bindAddress");
      this.bindAddress = Objects.requireNonNull(address, "bindAddress");
      return this;
    }

    /**
     * The bearer token that write calls must carry ({@code Authorization: Bearer <token>}). Without
     * one, write calls are refused with 403. At least {@value Tokens#MIN_LENGTH} and at most
     * {@value Tokens#MAX_LENGTH} visible ASCII characters, for example the output of {@code openssl
     * rand -base64 32}. The gateway keeps only its SHA-256 digest.
     *
     * @throws IllegalArgumentException if it is too short, too long or has other characters (the
     *     message does not repeat the token)
     */
    public Builder token(String token) {
      requireUnset(this.token, "token");
      Objects.requireNonNull(token, "token");
      Tokens.check(token, "token");
      this.token = token;
      return this;
    }

    /**
     * Reads the token from a file (UTF-8; surrounding whitespace, such as a final newline, is
     * dropped); see {@link #token(String)}.
     *
     * @throws IllegalArgumentException if the file cannot be read or its token is not valid
     */
    public Builder tokenFile(Path file) {
      requireUnset(this.token, "token");
      Objects.requireNonNull(file, "tokenFile");
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "tokenFile " + file + " cannot be read (" + e + "): check the path and permissions", e);
      }
      Tokens.check(text, "token in " + file);
      this.token = text;
      return this;
    }

    /**
     * How many threads serve requests (event streams excluded): 2 by default, 1 to 32. Up to 32
     * more requests wait in a queue; beyond that, connections are closed.
     *
     * @throws IllegalArgumentException if not within 1 to 32
     */
    public Builder threads(int threads) {
      requireUnset(this.threads, "threads");
      if (threads < 1 || threads > 32) {
        throw new IllegalArgumentException("threads must be 1 to 32, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * How many event streams ({@code /events}, the dashboard's live updates) may be open at once: 8
     * by default, 0 to 64; one more is refused with 503 (the dashboard then polls). 0 turns the
     * streams off.
     *
     * @throws IllegalArgumentException if not within 0 to 64
     */
    public Builder maxEventStreams(int streams) {
      requireUnset(this.maxEventStreams, "maxEventStreams");
      if (streams < 0 || streams > 64) {
        throw new IllegalArgumentException("maxEventStreams must be 0 to 64, was " + streams);
      }
      this.maxEventStreams = streams;
      return this;
    }

    /**
     * How often the census is checked for changes and pushed to event streams when it changed: 250
     * ms by default, 50 ms to 10 s. Supervisor events push at once, whatever this is.
     *
     * @throws IllegalArgumentException if not within 50 ms to 10 s
     */
    public Builder pushInterval(Duration interval) {
      requireUnset(this.pushInterval, "pushInterval");
      Objects.requireNonNull(interval, "pushInterval");
      if (interval.compareTo(Duration.ofMillis(50)) < 0
          || interval.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException(
            "pushInterval must be 50 ms to 10 s, was " + interval.toMillis() + " ms");
      }
      this.pushInterval = interval;
      return this;
    }

    /**
     * Serves the registry at {@code /metrics} in the Prometheus text format. Without one, {@code
     * /metrics} answers 404 saying how to enable it. The gateway does not bind any meters: bind
     * {@code new HabitatMetrics(supervisor).bindTo(registry)} (once) to get the {@code habitat.*}
     * meters. Needs {@code io.micrometer:micrometer-registry-prometheus} on the class path, which
     * the gateway declares as optional: applications that call this bring it.
     */
    public Builder prometheus(PrometheusMeterRegistry registry) {
      requireUnset(this.prometheus, "prometheus");
      this.prometheus = Objects.requireNonNull(registry, "prometheus");
      return this;
    }

    /**
     * Binds the port and starts serving. Logs one INFO line with the URL, and a WARN when the
     * address is not a loopback address.
     *
     * @return the running gateway; close it when done
     * @throws HabitatException if the port cannot be bound (in use, or not allowed), saying which
     *     and what to do
     */
    public HabitatGateway start() {
      InetAddress address = bindAddress;
      if (address == null) {
        try {
          address = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
          throw new AssertionError("four bytes make an IPv4 address", e);
        }
      }
      GatewaySettings settings =
          new GatewaySettings(
              new InetSocketAddress(address, port == null ? DEFAULT_PORT : port),
              token == null ? null : Tokens.digest(token),
              threads == null ? 2 : threads,
              maxEventStreams == null ? 8 : maxEventStreams,
              pushInterval == null ? Duration.ofMillis(250) : pushInterval,
              prometheus);
      return new HabitatGateway(GatewayServer.start(supervisor, settings));
    }

    private static void requireUnset(@Nullable Object value, String option) {
      if (value != null) {
        throw new IllegalStateException(option + " was already set");
      }
    }
  }
}
