package io.habitat.http.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import io.habitat.core.json.CensusJson;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every endpoint of the gateway, routed by hand so that each wrong path, method, token or body gets
 * its own 4xx with {@code {"error":...,"hint":...}}. Checks run in this order, and a refused
 * request has changed nothing: host (loopback guard), path (404), method (405), token (403 when
 * write calls are disabled, 401), group (400 for a malformed name, 404 for an unknown one), the
 * supervisor (409 unless started), body (413, 400), then the call itself (409 when its precondition
 * does not hold). Runs on the request threads.
 */
final class Routes implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  /** The largest request body: a 64 KiB document may grow when escaped in a JSON envelope. */
  static final int MAX_BODY_BYTES = 4 * GroupConfig.MAX_BYTES;

  /** How long a config call waits for the member to accept the document. */
  private static final long APPLY_TIMEOUT_SECONDS = 10;

  private static final String GET = "GET, HEAD";
  private static final String POST = "POST";
  private static final String ENDPOINTS =
      "GET /census, /census/{group}, /services, /health, /health/{group}, /metrics, /events, / (the"
          + " dashboard); POST /census/{group}/yield, /census/{group}/reelect,"
          + " /census/{group}/config, /census/{group}/depart/{member}";
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'"
          + " data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Supervisor supervisor;
  private final Views views;
  private final EventStreams streams;
  private final GatewayServer.Dashboard dashboard;
  private final @Nullable MetricsEndpoint metrics;
  private final Tokens.@Nullable Digest token;
  private final boolean loopbackOnly;

  Routes(
      Supervisor supervisor,
      Views views,
      EventStreams streams,
      GatewayServer.Dashboard dashboard,
      @Nullable MetricsEndpoint metrics,
      Tokens.@Nullable Digest token,
      boolean loopbackOnly) {
    this.supervisor = supervisor;
    this.views = views;
    this.streams = streams;
    this.dashboard = dashboard;
    this.metrics = metrics;
    this.token = token;
    this.loopbackOnly = loopbackOnly;
  }

  boolean writesEnabled() {
    return token != null;
  }

  boolean metricsEnabled() {
    return metrics != null;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      route(ex);
    } catch (HttpProblem p) {
      Exchanges.sendProblem(ex, p);
    } catch (IOException e) {
      log.debug(
          "gateway: {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
      ex.close();
    } catch (RuntimeException | LinkageError e) {
      // a LinkageError: a habitat-core on the class path that does not match this gateway
      log.warn("gateway: {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
      Exchanges.sendProblem(
          ex,
          new HttpProblem(
              500,
              "internal error: " + e.getClass().getName(),
              "the gateway logged the details (logger " + Routes.class.getPackageName() + ")"));
    }
  }

  private void route(HttpExchange ex) throws IOException {
    checkHost(ex);
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    List<String> path = segments(ex);
    int n = path.size();
    String first = n == 0 ? "" : path.get(0);
    if (n == 0) {
      allow(method, GET);
      page(ex, dashboard.html, "text/html; charset=utf-8");
    } else if (n == 1 && first.equals("dashboard.css")) {
      allow(method, GET);
      page(ex, dashboard.css, "text/css; charset=utf-8");
    } else if (n == 1 && first.equals("dashboard.js")) {
      allow(method, GET);
      page(ex, dashboard.js, "text/javascript; charset=utf-8");
    } else if (first.equals("census") && n == 1) {
      allow(method, GET);
      Exchanges.sendJson(ex, 200, views.census());
    } else if (first.equals("census") && n == 2) {
      allow(method, GET);
      Exchanges.sendJson(ex, 200, CensusJson.toTree(service(path.get(1)).census()));
    } else if (first.equals("census") && n >= 3) {
      write(ex, method, path);
    } else if (first.equals("services") && n == 1) {
      allow(method, GET);
      Exchanges.sendJson(ex, 200, views.services());
    } else if (first.equals("services") && n == 2) {
      allow(method, GET);
      Exchanges.sendJson(ex, 200, views.service(service(path.get(1))));
    } else if (first.equals("health") && n == 1) {
      allow(method, GET);
      Views.HealthView h = views.health();
      Exchanges.sendJson(ex, h.status(), h.body());
    } else if (first.equals("health") && n == 2) {
      allow(method, GET);
      Views.HealthView h = views.health(service(path.get(1)));
      Exchanges.sendJson(ex, h.status(), h.body());
    } else if (first.equals("metrics") && n == 1) {
      allow(method, GET);
      metrics(ex);
    } else if (first.equals("events") && n == 1) {
      allow(method, "GET");
      streams.open(ex);
    } else {
      throw new HttpProblem(
          404, "no endpoint at " + ex.getRequestURI().getPath(), "the endpoints are " + ENDPOINTS);
    }
  }

  private void write(HttpExchange ex, String method, List<String> path) throws IOException {
    String action = path.get(2);
    int n = path.size();
    boolean known =
        (n == 3 && (action.equals("yield") || action.equals("reelect") || action.equals("config")))
            || (n == 4 && action.equals("depart"));
    if (!known) {
      throw new HttpProblem(
          404,
          "no endpoint at " + ex.getRequestURI().getPath(),
          "the write calls are POST /census/{group}/yield, /census/{group}/reelect,"
              + " /census/{group}/config and /census/{group}/depart/{member}");
    }
    allow(method, POST);
    authorize(ex);
    Service s = service(path.get(1));
    if (supervisor.state() != Supervisor.State.STARTED) {
      throw new HttpProblem(
          409,
          "the supervisor is " + supervisor.state().name().toLowerCase(Locale.ROOT),
          "write calls need a started supervisor");
    }
    switch (action) {
      case "yield" -> yieldLeadership(ex, s);
      case "reelect" -> reelect(ex, s);
      case "depart" -> depart(ex, s, path.get(3));
      default -> config(ex, s);
    }
  }

  private void yieldLeadership(HttpExchange ex, Service s) throws IOException {
    requireElecting(s, "yield");
    if (!s.isLeader()) {
      MemberId leader = s.census().leader();
      throw new HttpProblem(
          409,
          "member "
              + memberText(s)
              + " does not lead "
              + s.group()
              + (leader == null ? " (it knows no leader)" : " (its leader is " + leader + ")"),
          "send the yield to the leader's gateway, or POST /census/"
              + s.group()
              + "/reelect to any member to have the group elect again by rank");
    }
    s.yieldLeadership();
    log.info(
        "gateway: {} yields leadership of {} at {}'s request",
        memberText(s),
        s.group(),
        ex.getRemoteAddress());
    Exchanges.sendJson(ex, 202, accepted(s, "yield"));
  }

  private void reelect(HttpExchange ex, Service s) throws IOException {
    requireElecting(s, "reelect");
    s.reelect();
    log.info("gateway: re-election of {} requested by {}", s.group(), ex.getRemoteAddress());
    Exchanges.sendJson(ex, 202, accepted(s, "reelect"));
  }

  private void depart(HttpExchange ex, Service s, String memberText) throws IOException {
    MemberId member;
    try {
      member = MemberId.of(memberText);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(
          400, messageOf(e), "GET /census/" + s.group() + " lists the member ids");
    }
    try {
      s.depart(member).toCompletableFuture().get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException) {
        throw new HttpProblem(
            404, messageOf(cause), "GET /census/" + s.group() + " lists the member ids");
      }
      if (cause instanceof IllegalStateException) {
        throw new HttpProblem(
            409, messageOf(cause), "send the departure to the gateway of a member in the group");
      }
      throw new IllegalStateException("depart failed", cause);
    } catch (TimeoutException e) {
      throw new HttpProblem(
          503,
          "the member did not confirm the departure within " + APPLY_TIMEOUT_SECONDS + " s",
          "it may still happen: check the member's state in GET /census/" + s.group());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpProblem(503, "the gateway is closing", "try again");
    }
    log.info(
        "gateway: {} departed {} from {} at {}'s request",
        memberText(s),
        member,
        s.group(),
        ex.getRemoteAddress());
    ObjectNode out = accepted(s, "depart");
    out.put("departed", member.value());
    Exchanges.sendJson(ex, 202, out);
  }

  private void config(HttpExchange ex, Service s) throws IOException {
    Map<String, String> query = query(ex);
    long version;
    ConfigFormat format;
    String document;
    if (query.isEmpty()) {
      ObjectNode envelope = envelope(Exchanges.readBody(ex, MAX_BODY_BYTES));
      version = envelope.get("version").asLong();
      format = format(envelope.get("format").asString());
      document = envelope.get("document").asString();
    } else {
      String v = query.get("version");
      String f = query.get("format");
      if (v == null || f == null) {
        throw new HttpProblem(
            400,
            "query parameter '" + (v == null ? "version" : "format") + "' is missing",
            "send the raw document with ?version=N&format=toml|json, or no query and the JSON"
                + " envelope {\"version\":N,\"format\":\"toml\",\"document\":\"...\"}");
      }
      version = version(v);
      format = format(f);
      document = Exchanges.readBody(ex, MAX_BODY_BYTES);
    }
    GroupConfig applied;
    try {
      applied =
          s.applyConfig(version, format, document)
              .toCompletableFuture()
              .get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(
          400, messageOf(e), "fix the document or its version; nothing was applied");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HabitatException) {
        throw new HttpProblem(
            409,
            messageOf(cause),
            "GET /census/"
                + s.group()
                + " shows the configVersion this member holds; send a higher"
                + " version");
      }
      throw new IllegalStateException("applyConfig failed", cause);
    } catch (TimeoutException e) {
      throw new HttpProblem(
          503,
          "the member did not confirm the document within " + APPLY_TIMEOUT_SECONDS + " s",
          "it may still be applied: check configVersion in GET /census/" + s.group());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpProblem(503, "the gateway is closing", "try again");
    }
    log.info(
        "gateway: applied group config {} to {} at {}'s request",
        applied,
        s.group(),
        ex.getRemoteAddress());
    ObjectNode out = Exchanges.MAPPER.createObjectNode();
    out.put("group", s.group().toString());
    out.put("member", memberText(s));
    out.put("version", applied.version());
    out.put("term", applied.term().value());
    out.put("format", applied.format().configName());
    out.put("digest", applied.digest());
    Exchanges.sendJson(ex, 200, out);
  }

  private static ObjectNode envelope(String body) {
    if (body.isBlank()) {
      throw new HttpProblem(
          400,
          "the body is empty",
          "send {\"version\":N,\"format\":\"toml|json\",\"document\":\"...\"}, or the raw document"
              + " with ?version=N&format=toml|json");
    }
    JsonNode tree;
    try {
      tree = Exchanges.MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new HttpProblem(
          400,
          "the body is not valid JSON: " + e.getOriginalMessage(),
          "send {\"version\":N,\"format\":\"toml|json\",\"document\":\"...\"}, or the raw document"
              + " with ?version=N&format=toml|json");
    }
    if (tree == null || !tree.isObject()) {
      throw new HttpProblem(
          400,
          "the body is JSON but not an object",
          "send {\"version\":N,\"format\":\"toml|json\",\"document\":\"...\"}");
    }
    ObjectNode o = (ObjectNode) tree;
    List<String> unknown = new ArrayList<>();
    for (String name : o.propertyNames()) {
      if (!name.equals("version") && !name.equals("format") && !name.equals("document")) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new HttpProblem(
          400,
          "unknown field(s) " + unknown + " in the envelope",
          "the envelope has exactly version, format and document");
    }
    JsonNode version = o.get("version");
    if (version == null || !version.isIntegralNumber() || !version.canConvertToLong()) {
      throw new HttpProblem(
          400,
          "field 'version' "
              + (version == null ? "is missing" : "must be a whole number, was " + version),
          "give the version as a number, 1 or more and higher than the group's configVersion");
    }
    for (String field : List.of("format", "document")) {
      JsonNode f = o.get(field);
      if (f == null || !f.isString()) {
        throw new HttpProblem(
            400,
            "field '"
                + field
                + "' "
                + (f == null
                    ? "is missing"
                    : "must be a string, was " + f.getNodeType().name().toLowerCase(Locale.ROOT)),
            field.equals("format")
                ? "give \"format\":\"toml\" or \"format\":\"json\""
                : "give the document as one JSON string (escape quotes and newlines)");
      }
    }
    return o;
  }

  private static long version(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new HttpProblem(
          400,
          "query parameter 'version' must be a whole number, was '" + text + "'",
          "give ?version=N, 1 or more and higher than the group's configVersion");
    }
  }

  private static ConfigFormat format(String text) {
    try {
      return ConfigFormat.parse(text);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, messageOf(e), "give the format as toml or json");
    }
  }

  private static Map<String, String> query(HttpExchange ex) {
    String raw = ex.getRequestURI().getRawQuery();
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (!name.equals("version") && !name.equals("format")) {
        throw new HttpProblem(
            400,
            "unknown query parameter '" + name + "'",
            "the config call takes ?version=N&format=toml|json with the raw document as the body,"
                + " or no query and a JSON envelope");
      }
      if (out.put(name, value) != null) {
        throw new HttpProblem(400, "query parameter '" + name + "' is given twice", "give it once");
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, "malformed query: " + e.getMessage(), "percent-encode the query");
    }
  }

  private void metrics(HttpExchange ex) throws IOException {
    MetricsEndpoint m = metrics;
    if (m == null) {
      throw new HttpProblem(
          404,
          "this gateway serves no metrics",
          "add io.micrometer:micrometer-registry-prometheus and pass its registry:"
              + " HabitatGateway.builder(supervisor).prometheus(registry), with new"
              + " HabitatMetrics(supervisor).bindTo(registry)");
    }
    Exchanges.send(ex, 200, m.contentType(), m.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private static void page(HttpExchange ex, byte[] body, String type) throws IOException {
    Exchanges.send(
        ex,
        200,
        type,
        body,
        Map.of(
            "Content-Security-Policy", CSP,
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer"));
  }

  private void authorize(HttpExchange ex) {
    Tokens.Digest expected = token;
    if (expected == null) {
      throw new HttpProblem(
          403,
          "write calls are disabled on this gateway: it has no token",
          "start the gateway with HabitatGateway.builder(supervisor).token(...) (16 or more"
              + " characters, e.g. from: openssl rand -base64 32) and send the header"
              + " 'Authorization: Bearer <token>'");
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    Map<String, String> challenge = Map.of("WWW-Authenticate", "Bearer realm=\"habitat\"");
    if (header == null || header.isBlank()) {
      throw new HttpProblem(
          401,
          "write calls need a bearer token; the request has no Authorization header",
          "send the header 'Authorization: Bearer <token>' with the token the gateway was started"
              + " with",
          challenge);
    }
    String h = header.trim();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new HttpProblem(
          401,
          "the Authorization header is not a bearer token",
          "send the header 'Authorization: Bearer <token>'",
          challenge);
    }
    if (!expected.matches(h.substring(7).trim())) {
      log.warn("gateway: refused a write call from {}: wrong token", ex.getRemoteAddress());
      throw new HttpProblem(
          401,
          "the bearer token does not match this gateway's token",
          "send the token the gateway was started with",
          Map.of("WWW-Authenticate", "Bearer realm=\"habitat\", error=\"invalid_token\""));
    }
  }

  private Service service(String groupText) {
    ServiceGroup group;
    try {
      group = ServiceGroup.parse(groupText);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, messageOf(e), "name the group as service.group[@organization]");
    }
    for (Service s : supervisor.services()) {
      if (s.group().equals(group)) {
        return s;
      }
    }
    throw new HttpProblem(
        404,
        "this supervisor runs no member of " + group,
        "GET /services lists the groups it runs: " + groupList());
  }

  private String groupList() {
    List<String> names = new ArrayList<>();
    for (Service s : supervisor.services()) {
      names.add(s.group().toString());
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  private static void requireElecting(Service s, String what) {
    if (s.topology() == Topology.STANDALONE) {
      throw new HttpProblem(
          409,
          s.group() + " is standalone: it elects no leader, so there is nothing to " + what,
          "yield and reelect apply to groups of the leader and initializer topologies");
    }
  }

  private static ObjectNode accepted(Service s, String action) {
    ObjectNode out = Exchanges.MAPPER.createObjectNode();
    out.put("group", s.group().toString());
    out.put("member", memberText(s));
    out.put("action", action);
    out.put("term", s.census().term().value());
    out.put("accepted", true);
    return out;
  }

  private static String memberText(Service s) {
    try {
      return s.memberId().value();
    } catch (IllegalStateException notStarted) {
      return "(not started)";
    }
  }

  private static String messageOf(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getName() : m;
  }

  private static void allow(String method, String allowed) {
    for (String m : List.of(allowed.split(", ", -1))) {
      if (m.equals(method)) {
        return;
      }
    }
    throw new HttpProblem(
        405,
        "method " + method + " is not allowed here",
        "use " + allowed.replace(", ", " or "),
        Map.of("Allow", allowed));
  }

  private void checkHost(HttpExchange ex) {
    if (!loopbackOnly) {
      return;
    }
    String host = ex.getRequestHeaders().getFirst("Host");
    if (host == null || isLoopbackName(host)) {
      return;
    }
    throw new HttpProblem(
        403,
        "the request is addressed to '" + host + "', which is not a loopback name",
        "this gateway listens on a loopback address and answers only requests to localhost,"
            + " 127.0.0.1 or [::1] (a guard against DNS rebinding); to serve other names, start it"
            + " with bindAddress(...)");
  }

  static boolean isLoopbackName(String hostHeader) {
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end > 0 && h.substring(1, end).equals("::1");
    }
    int colon = h.lastIndexOf(':');
    if (colon >= 0) {
      h = h.substring(0, colon);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> segments(HttpExchange ex) {
    String path = ex.getRequestURI().getPath();
    List<String> out = new ArrayList<>();
    if (path == null) {
      return out;
    }
    for (Iterator<String> it = List.of(path.split("/", -1)).iterator(); it.hasNext(); ) {
      String s = it.next();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
