package io.habitat.spring.actuate;

import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.Supervisor;
import io.habitat.core.json.CensusJson;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code habitat} Actuator endpoint: the census of each of the supervisor's groups, and
 * operator actions on them.
 *
 * <ul>
 *   <li>{@code GET /actuator/habitat}: the supervisor ({@code state}, {@code address}, decode
 *       errors, hook failures) and {@code services}, each group's census by group name, in the
 *       shape {@link CensusJson} documents.
 *   <li>{@code GET /actuator/habitat/{group}}: that group's census; 404 if the supervisor runs no
 *       member of it.
 *   <li>{@code POST /actuator/habitat/{group}/{action}} with a JSON body, one of:
 *       <ul>
 *         <li>{@code yield}: the leader hands leadership to the next-ranked member (nothing happens
 *             on a follower; {@code wasLeader} says which);
 *         <li>{@code reelect}: the group elects by rank again;
 *         <li>{@code depart} with {@code {"member": "m3"}}: removes that member from the group for
 *             good (Habitat's {@code hab sup depart});
 *         <li>{@code config} with {@code {"version": 2, "format": "json", "document": "{...}"}}:
 *             applies a group config to the whole group.
 *       </ul>
 * </ul>
 *
 * <p>Writes are refused unless {@code management.endpoint.habitat.access=unrestricted}: by default
 * the endpoint is read-only. Bad input (an unknown group or action, a missing or invalid parameter,
 * a config version not above the one held) is answered with 400 and a message saying what was
 * wrong.
 *
 * <p><b>Threads.</b> Thread-safe. Reads never block. {@code depart} and {@code config} wait at most
 * 10 s for the member to record the change; the others return at once, before the group has acted:
 * read the census again to see the outcome.
 */
@Endpoint(id = "habitat", defaultAccess = Access.READ_ONLY)
public class HabitatEndpoint {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private static final TypeReference<LinkedHashMap<String, @Nullable Object>> MAP =
      new TypeReference<>() {};

  private static final List<String> ACTIONS = List.of("yield", "reelect", "depart", "config");

  private final Supervisor supervisor;

  /** The endpoint of the given supervisor. */
  public HabitatEndpoint(Supervisor supervisor) {
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
  }

  /** The supervisor and the census of each of its groups. */
  @ReadOperation
  public Map<String, Object> habitat() {
    Map<String, @Nullable Object> self = new LinkedHashMap<>();
    Supervisor.State state = supervisor.state();
    self.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    self.put("address", state == Supervisor.State.STARTED ? supervisor.address().toString() : null);
    self.put("decodeErrors", supervisor.decodeErrors());
    self.put("hookFailures", supervisor.hookFailures());
    self.put("hooksHung", supervisor.hooksHung());
    Map<String, Object> services = new LinkedHashMap<>();
    for (Service service : supervisor.services()) {
      services.put(service.group().toString(), census(service));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("supervisor", self);
    out.put("services", services);
    return out;
  }

  /**
   * The census of one group.
   *
   * @param group the group, as {@code service.group[@organization]}
   * @return the census, or null (404) if the supervisor runs no member of that group
   */
  @ReadOperation
  public @Nullable Map<String, @Nullable Object> group(@Selector String group) {
    return find(group).map(HabitatEndpoint::census).orElse(null);
  }

  /**
   * Runs an operator action on one group; see the class comment.
   *
   * @param group the group, as {@code service.group[@organization]}
   * @param action {@code yield}, {@code reelect}, {@code depart} or {@code config}
   * @param member the member to depart ({@code depart} only)
   * @param version the config version ({@code config} only)
   * @param format {@code json} or {@code toml} ({@code config} only)
   * @param document the config document ({@code config} only)
   * @return what was done
   */
  @WriteOperation
  public Map<String, Object> operate(
      @Selector String group,
      @Selector String action,
      @Nullable String member,
      @Nullable Long version,
      @Nullable String format,
      @Nullable String document) {
    Service service =
        find(group)
            .orElseThrow(
                () ->
                    new InvalidEndpointRequestException(
                        "no member of group '" + group + "' runs here; groups: " + groups(),
                        "unknown group"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("group", service.group().toString());
    out.put("action", action);
    switch (action) {
      case "yield" -> {
        out.put("wasLeader", service.isLeader());
        service.yieldLeadership();
      }
      case "reelect" -> service.reelect();
      case "depart" -> {
        String id = require(member, "member", "the id of the member to depart, e.g. m3");
        MemberId departed;
        try {
          departed = MemberId.of(id);
        } catch (IllegalArgumentException e) {
          throw new InvalidEndpointRequestException(
              String.valueOf(e.getMessage()), "invalid member", e);
        }
        await(service.depart(departed), "depart " + departed);
        out.put("departed", departed.value());
      }
      case "config" -> {
        long v = require(version, "version", "a number above the version the group holds");
        ConfigFormat f;
        try {
          f = ConfigFormat.parse(require(format, "format", "json or toml"));
        } catch (IllegalArgumentException e) {
          throw new InvalidEndpointRequestException(
              String.valueOf(e.getMessage()), "invalid format", e);
        }
        String d = require(document, "document", "the config document as a string");
        CompletionStage<GroupConfig> applied;
        try {
          applied = service.applyConfig(v, f, d);
        } catch (IllegalArgumentException e) {
          throw new InvalidEndpointRequestException(
              String.valueOf(e.getMessage()), "invalid config", e);
        }
        GroupConfig config = await(applied, "config version " + v);
        out.put("version", config.version());
        out.put("term", config.term().value());
        out.put("digest", config.digest());
        out.put("format", config.format().configName());
      }
      default ->
          throw new InvalidEndpointRequestException(
              "unknown action '" + action + "': use one of " + String.join(", ", ACTIONS),
              "unknown action");
    }
    return out;
  }

  private Optional<Service> find(String group) {
    return supervisor.services().stream()
        .filter(s -> s.group().toString().equals(group))
        .findFirst();
  }

  private String groups() {
    return supervisor.services().stream()
        .map(s -> s.group().toString())
        .collect(Collectors.joining(", "));
  }

  private static Map<String, @Nullable Object> census(Service service) {
    return MAPPER.convertValue(CensusJson.toTree(service.census()), MAP);
  }

  private static <T> T require(@Nullable T value, String name, String what) {
    if (value == null) {
      throw new InvalidEndpointRequestException(
          "missing '" + name + "' in the request body: give " + what, "missing " + name);
    }
    return value;
  }

  private static <T> T await(CompletionStage<T> stage, String what) {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HabitatException("interrupted while waiting for " + what, e);
    } catch (TimeoutException e) {
      throw new HabitatException(
          what + " was not recorded within " + WAIT + ": read the census to see whether it was", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof IllegalArgumentException
          || cause instanceof IllegalStateException
          || cause instanceof HabitatException) {
        throw new InvalidEndpointRequestException(
            String.valueOf(cause.getMessage()), "refused", cause);
      }
      throw new HabitatException(what + " failed: " + cause.getMessage(), cause);
    }
  }
}
