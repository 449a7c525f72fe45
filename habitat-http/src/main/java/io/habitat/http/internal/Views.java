package io.habitat.http.internal;

import io.habitat.core.Census;
import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.Supervisor;
import io.habitat.core.event.HabitatEvent;
import io.habitat.core.json.CensusJson;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON the gateway serves, built from the supervisor's public API: each call reads the latest
 * published state without blocking. Thread-safe.
 */
final class Views {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Supervisor supervisor;
  private final Map<Service, CompletableFuture<?>> ready = new ConcurrentHashMap<>();

  Views(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  /** {@code {"state":"started","groups":[census, ...]}}, in the order services were registered. */
  ObjectNode census() {
    ObjectNode out = NODES.objectNode();
    out.put("state", supervisor.state().name().toLowerCase(Locale.ROOT));
    ArrayNode groups = out.putArray("groups");
    for (Service s : supervisor.services()) {
      groups.add(CensusJson.toTree(s.census()));
    }
    return out;
  }

  /** One entry of {@code /services}. */
  ObjectNode service(Service s) {
    Census c = s.census();
    ObjectNode out = NODES.objectNode();
    out.put("group", s.group().toString());
    out.put("topology", s.topology().configName());
    putId(out, "member", memberId(s));
    out.put("role", c.role().configName());
    out.put("leader", s.isLeader());
    out.put("term", c.term().value());
    putId(out, "groupLeader", c.leader());
    out.put("health", s.health().configName());
    out.put("ready", isReady(s));
    out.put("initialised", c.initialisation().initialised());
    out.put("election", c.election().configName());
    out.put("configVersion", c.configVersion());
    ObjectNode exports = out.putObject("exports");
    Census.Member self = c.member(c.self()).orElse(null);
    if (self != null) {
      new TreeMap<>(self.exports()).forEach(exports::put);
    }
    return out;
  }

  /** {@code /services}: every service of the supervisor. */
  ArrayNode services() {
    ArrayNode out = NODES.arrayNode();
    for (Service s : supervisor.services()) {
      out.add(service(s));
    }
    return out;
  }

  /** The health of one service and the status code it maps to. */
  HealthView health(Service s) {
    Health h = s.health();
    boolean started = supervisor.state() == Supervisor.State.STARTED;
    boolean isReady = isReady(s);
    int status;
    String reason;
    if (!started) {
      status = 503;
      reason = "the supervisor is " + supervisor.state().name().toLowerCase(Locale.ROOT);
    } else if (!isReady) {
      status = 503;
      reason = gateReason(s);
    } else if (h == Health.CRITICAL) {
      status = 503;
      reason = "the health check reports critical";
    } else if (h == Health.UNKNOWN) {
      status = 500;
      reason = "the health check reports unknown (not run yet, failed or hung)";
    } else {
      status = 200;
      reason = null;
    }
    ObjectNode out = NODES.objectNode();
    out.put("group", s.group().toString());
    putId(out, "member", memberId(s));
    out.put("health", h.configName());
    out.put("ready", isReady);
    out.put("status", status);
    if (reason == null) {
      out.putNull("reason");
    } else {
      out.put("reason", reason);
    }
    return new HealthView(status, out);
  }

  /**
   * {@code /health}: every service; the status is the worst of theirs (503 over 500 over 200), 503
   * when the supervisor is not started, 200 when it has no service.
   */
  HealthView health() {
    ArrayNode services = NODES.arrayNode();
    int status = supervisor.state() == Supervisor.State.STARTED ? 200 : 503;
    Health worst = Health.OK;
    for (Service s : supervisor.services()) {
      HealthView v = health(s);
      services.add(v.body());
      status = worse(status, v.status());
      worst = worse(worst, s.health());
    }
    ObjectNode out = NODES.objectNode();
    out.put("status", status);
    out.put("health", worst.configName());
    out.put("state", supervisor.state().name().toLowerCase(Locale.ROOT));
    out.set("services", services);
    return new HealthView(status, out);
  }

  /** An event as JSON, with {@code type}, {@code group}, {@code member}, and the event's fields. */
  static ObjectNode event(HabitatEvent e, long timeMillis) {
    ObjectNode out = NODES.objectNode();
    if (e instanceof HabitatEvent.LeaderElected x) {
      header(out, "leader-elected", e, timeMillis);
      out.put("term", x.term().value());
    } else if (e instanceof HabitatEvent.LeaderRevoked x) {
      header(out, "leader-revoked", e, timeMillis);
      out.put("term", x.term().value());
      out.put("reason", x.reason());
    } else if (e instanceof HabitatEvent.ElectionLost x) {
      header(out, "election-lost", e, timeMillis);
      out.put("term", x.term().value());
      out.put("reason", x.reason());
    } else if (e instanceof HabitatEvent.LeaderChanged x) {
      header(out, "leader-changed", e, timeMillis);
      putId(out, "leader", x.leader());
      out.put("term", x.term().value());
      Duration failover = x.failover();
      if (failover == null) {
        out.putNull("failoverMillis");
      } else {
        out.put("failoverMillis", failover.toMillis());
      }
    } else if (e instanceof HabitatEvent.HookFailed x) {
      header(out, "hook-failed", e, timeMillis);
      out.put("hook", x.hook());
      out.put("error", x.error().getClass().getName());
    } else if (e instanceof HabitatEvent.HookHung x) {
      header(out, "hook-hung", e, timeMillis);
      out.put("hook", x.hook());
      out.put("runningMillis", x.running().toMillis());
    } else {
      header(out, "other", e, timeMillis);
    }
    return out;
  }

  private static void header(ObjectNode out, String type, HabitatEvent e, long timeMillis) {
    out.put("type", type);
    out.put("time", timeMillis);
    out.put("group", e.group().toString());
    out.put("member", e.member().value());
  }

  private boolean isReady(Service s) {
    CompletableFuture<?> f =
        ready.computeIfAbsent(s, service -> service.ready().toCompletableFuture());
    return f.isDone() && !f.isCompletedExceptionally();
  }

  private String gateReason(Service s) {
    Census c = s.census();
    if (c.initialisation().required() && !c.initialisation().initialised()) {
      String error = c.initialisation().error();
      return "start-up not finished: the group is not initialised yet (initializer gate closed"
          + (error == null ? "" : "; last init failure: " + error)
          + ")";
    }
    return "start-up not finished: waiting to join, or for a strict bind";
  }

  private static @Nullable MemberId memberId(Service s) {
    try {
      return s.memberId();
    } catch (IllegalStateException notStarted) {
      return null;
    }
  }

  private static void putId(ObjectNode out, String field, @Nullable MemberId id) {
    if (id == null) {
      out.putNull(field);
    } else {
      out.put(field, id.value());
    }
  }

  private static int worse(int a, int b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(int status) {
    return status == 503 ? 2 : status == 500 ? 1 : 0;
  }

  private static Health worse(Health a, Health b) {
    return severity(a) >= severity(b) ? a : b;
  }

  private static int severity(Health h) {
    return switch (h) {
      case OK -> 0;
      case WARNING -> 1;
      case UNKNOWN -> 2;
      case CRITICAL -> 3;
    };
  }

  /** A health body and its status code. */
  record HealthView(int status, ObjectNode body) {}
}
