package io.habitat.core.json;

import io.habitat.core.BoundGroup;
import io.habitat.core.Census;
import io.habitat.core.MemberId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a {@link Census} or a {@link BoundGroup} as JSON, for HTTP gateways, status endpoints and
 * logs.
 *
 * <p><b>Shape of a census.</b> Fields always appear, in this order; a field without a value is
 * {@code null}, never left out:
 *
 * <pre>{@code
 * {
 *   "group": "db.main",                       // service.group or service.group@organization
 *   "topology": "leader",                     // standalone | leader | initializer
 *   "self": "a",                              // the member whose view this is
 *   "role": "follower",                       // follower | candidate | leader | stopped
 *   "term": 3,                                // a number, 0 before any election
 *   "leader": "b",                            // a member id, or null when there is none
 *   "members": [                              // the census' order (by id)
 *     {
 *       "id": "a",
 *       "address": "a",                       // the ring address, as text
 *       "state": "alive",                     // alive | suspect | confirmed | departed
 *       "suitability": 1,
 *       "eligible": true,
 *       "leader": false,
 *       "voter": true,
 *       "health": "ok",                       // ok | warning | critical | unknown
 *       "exports": {"host": "10.0.0.1", "port": "5432"}   // sorted by key
 *     }
 *   ],
 *   "voters": ["a", "b", "c"],                // the voting membership, in the census' order
 *   "election": "settled",                    // none | waiting | running | settled
 *   "initialisation": {
 *     "required": false,                      // true for the initializer topology
 *     "initialised": false,
 *     "term": 0,                              // the term of the leader that initialised it
 *     "error": null                           // the last init failure, or null
 *   },
 *   "configVersion": 2                        // the group config version held, 0 when none
 * }
 * }</pre>
 *
 * <p>(The comments above are explanation only; the output has none and is compact, on one line.)
 *
 * <p><b>Shape of a bound group.</b> The same member objects as in a census:
 *
 * <pre>{@code
 * {
 *   "bind": {"name": "database", "group": "db.main", "strict": true},
 *   "topology": "leader",                     // as the bound group's members announce it
 *   "leader": "b",                            // or null
 *   "term": 3,                                // 0 when there is no leader
 *   "satisfied": true,                        // whether a strict bind would be satisfied
 *   "members": [ ... ]                        // the live members, by id
 * }
 * }</pre>
 *
 * <p>Enum values are written as their lower-case {@code configName()}; terms, suitabilities and
 * versions as JSON numbers (integers; a reader in JavaScript loses precision only past
 * 2<sup>53</sup>). New fields may be added in later versions, always after the existing ones of the
 * same object; readers should ignore fields they do not know.
 *
 * <p><b>Threads.</b> Every method is thread-safe, does not block and has no side effect: each call
 * builds a new tree or string from the immutable snapshot it is given.
 */
public final class CensusJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .enable(JsonNodeFeature.WRITE_NULL_PROPERTIES)
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CensusJson() {}

  /**
   * The census as compact JSON, in the shape of the class comment.
   *
   * @throws NullPointerException if {@code census} is null
   */
  public static String toJson(Census census) {
    return MAPPER.writeValueAsString(toTree(census));
  }

  /**
   * The bound group as compact JSON, in the shape of the class comment.
   *
   * @throws NullPointerException if {@code bound} is null
   */
  public static String toJson(BoundGroup bound) {
    return MAPPER.writeValueAsString(toTree(bound));
  }

  /**
   * The census as a JSON tree, in the shape of the class comment: a new tree the caller owns and
   * may change (for example to add fields of its own, or to print it with a mapper of its own).
   *
   * @throws NullPointerException if {@code census} is null
   */
  public static ObjectNode toTree(Census census) {
    Objects.requireNonNull(census, "census");
    ObjectNode out = NODES.objectNode();
    out.put("group", census.group().toString());
    out.put("topology", census.topology().configName());
    out.put("self", census.self().value());
    out.put("role", census.role().configName());
    out.put("term", census.term().value());
    putId(out, "leader", census.leader());
    ArrayNode members = out.putArray("members");
    for (Census.Member m : census.members()) {
      members.add(member(m));
    }
    ArrayNode voters = out.putArray("voters");
    for (MemberId v : census.voters()) {
      voters.add(v.value());
    }
    out.put("election", census.election().configName());
    Census.Initialisation init = census.initialisation();
    ObjectNode initialisation = out.putObject("initialisation");
    initialisation.put("required", init.required());
    initialisation.put("initialised", init.initialised());
    initialisation.put("term", init.term().value());
    String error = init.error();
    if (error == null) {
      initialisation.putNull("error");
    } else {
      initialisation.put("error", error);
    }
    out.put("configVersion", census.configVersion());
    return out;
  }

  /**
   * The bound group as a JSON tree, in the shape of the class comment: a new tree the caller owns.
   *
   * @throws NullPointerException if {@code bound} is null
   */
  public static ObjectNode toTree(BoundGroup bound) {
    Objects.requireNonNull(bound, "bound");
    ObjectNode out = NODES.objectNode();
    ObjectNode bind = out.putObject("bind");
    bind.put("name", bound.bind().name());
    bind.put("group", bound.bind().group().toString());
    bind.put("strict", bound.bind().strict());
    out.put("topology", bound.topology().configName());
    putId(out, "leader", bound.leader());
    out.put("term", bound.term().value());
    out.put("satisfied", bound.satisfied());
    ArrayNode members = out.putArray("members");
    for (Census.Member m : bound.members()) {
      members.add(member(m));
    }
    return out;
  }

  private static ObjectNode member(Census.Member m) {
    ObjectNode out = NODES.objectNode();
    out.put("id", m.id().value());
    out.put("address", m.address());
    out.put("state", m.state().configName());
    out.put("suitability", m.suitability());
    out.put("eligible", m.eligible());
    out.put("leader", m.leader());
    out.put("voter", m.voter());
    out.put("health", m.health().configName());
    ObjectNode exports = out.putObject("exports");
    for (Map.Entry<String, String> e : new TreeMap<>(m.exports()).entrySet()) {
      exports.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static void putId(ObjectNode out, String field, @Nullable MemberId id) {
    if (id == null) {
      out.putNull(field);
    } else {
      out.put(field, id.value());
    }
  }
}
