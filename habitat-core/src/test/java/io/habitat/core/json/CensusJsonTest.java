package io.habitat.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.Bind;
import io.habitat.core.BoundGroup;
import io.habitat.core.Census;
import io.habitat.core.ElectionStatus;
import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Role;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CensusJsonTest {

  private static final MemberId A = MemberId.of("a");
  private static final MemberId B = MemberId.of("b");

  private static Census.Member member(
      MemberId id, MemberState state, boolean leader, Health health, Map<String, String> exports) {
    return new Census.Member(
        id, id.value() + ":7800", state, 3, true, leader, true, health, exports);
  }

  private static Census census(boolean withLeader) {
    Map<String, String> exports = new LinkedHashMap<>();
    exports.put("port", "5432");
    exports.put("host", "10.0.0.2");
    exports.put("db.name", "main \"quoted\"");
    return new Census(
        ServiceGroup.parse("postgres.main@acme"),
        Topology.INITIALIZER,
        A,
        withLeader ? Role.FOLLOWER : Role.CANDIDATE,
        Term.of(7),
        withLeader ? B : null,
        List.of(
            member(A, MemberState.SUSPECT, false, Health.WARNING, Map.of()),
            member(B, MemberState.ALIVE, withLeader, Health.OK, exports)),
        List.of(A, B),
        withLeader ? ElectionStatus.SETTLED : ElectionStatus.RUNNING,
        new Census.Initialisation(true, withLeader, Term.of(withLeader ? 6 : 0), "disk full"),
        4);
  }

  @Test
  void aCensusIsRenderedInTheDocumentedShape() {
    assertThat(CensusJson.toJson(census(true)))
        .isEqualTo(
            "{\"group\":\"postgres.main@acme\",\"topology\":\"initializer\",\"self\":\"a\","
                + "\"role\":\"follower\",\"term\":7,\"leader\":\"b\",\"members\":["
                + "{\"id\":\"a\",\"address\":\"a:7800\",\"state\":\"suspect\",\"suitability\":3,"
                + "\"eligible\":true,\"leader\":false,\"voter\":true,\"health\":\"warning\","
                + "\"exports\":{}},"
                + "{\"id\":\"b\",\"address\":\"b:7800\",\"state\":\"alive\",\"suitability\":3,"
                + "\"eligible\":true,\"leader\":true,\"voter\":true,\"health\":\"ok\","
                + "\"exports\":{\"db.name\":\"main \\\"quoted\\\"\",\"host\":\"10.0.0.2\","
                + "\"port\":\"5432\"}}],"
                + "\"voters\":[\"a\",\"b\"],\"election\":\"settled\","
                + "\"initialisation\":{\"required\":true,\"initialised\":true,\"term\":6,"
                + "\"error\":\"disk full\"},"
                + "\"configVersion\":4}");
  }

  @Test
  void absentValuesAreNullNotLeftOut() {
    Census c = census(false);
    Census noError =
        new Census(
            c.group(),
            c.topology(),
            c.self(),
            c.role(),
            c.term(),
            c.leader(),
            c.members(),
            List.of(),
            c.election(),
            Census.Initialisation.NOT_REQUIRED,
            0);
    String json = CensusJson.toJson(noError);
    assertThat(json)
        .contains("\"role\":\"candidate\",\"term\":7,\"leader\":null,\"members\":[")
        .contains(
            "\"voters\":[],\"election\":\"running\",\"initialisation\":{\"required\":false,"
                + "\"initialised\":false,\"term\":0,\"error\":null},\"configVersion\":0}");
  }

  @Test
  void theJsonParsesBackAndMatchesTheTree() {
    Census c = census(true);
    JsonMapper mapper = JsonMapper.builder().build();
    String json = CensusJson.toJson(c);
    JsonNode parsed = mapper.readTree(json);
    assertThat(mapper.writeValueAsString(parsed)).isEqualTo(json);
    assertThat(parsed.toString()).isEqualTo(CensusJson.toTree(c).toString());
    assertThat(parsed.get("term").isIntegralNumber()).isTrue();
    assertThat(parsed.get("term").asLong()).isEqualTo(7);
    assertThat(parsed.get("leader").asString()).isEqualTo("b");
    assertThat(parsed.get("members").get(1).get("exports").propertyNames())
        .containsExactly("db.name", "host", "port");
    assertThat(parsed.get("members").get(1).get("exports").get("db.name").asString())
        .isEqualTo("main \"quoted\"");
    assertThat(parsed.get("initialisation").get("term").asLong()).isEqualTo(6);
    assertThat(parsed.get("configVersion").asLong()).isEqualTo(4);
    assertThat(parsed.propertyNames())
        .containsExactly(
            "group",
            "topology",
            "self",
            "role",
            "term",
            "leader",
            "members",
            "voters",
            "election",
            "initialisation",
            "configVersion");
  }

  @Test
  void theTreeIsTheCallersToChange() {
    Census c = census(true);
    CensusJson.toTree(c).put("extra", 1);
    assertThat(CensusJson.toTree(c).has("extra")).isFalse();
    assertThat(CensusJson.toJson(c)).doesNotContain("extra");
  }

  @Test
  void aBoundGroupIsRenderedInTheDocumentedShape() {
    BoundGroup bound =
        new BoundGroup(
            Bind.strict("database", ServiceGroup.parse("postgres.main")),
            Topology.LEADER,
            B,
            Term.of(3),
            List.of(member(B, MemberState.ALIVE, true, Health.OK, Map.of("port", "5432"))));
    assertThat(CensusJson.toJson(bound))
        .isEqualTo(
            "{\"bind\":{\"name\":\"database\",\"group\":\"postgres.main\",\"strict\":true},"
                + "\"topology\":\"leader\",\"leader\":\"b\",\"term\":3,\"satisfied\":true,"
                + "\"members\":[{\"id\":\"b\",\"address\":\"b:7800\",\"state\":\"alive\","
                + "\"suitability\":3,\"eligible\":true,\"leader\":true,\"voter\":true,"
                + "\"health\":\"ok\",\"exports\":{\"port\":\"5432\"}}]}");
    JsonNode parsed = JsonMapper.builder().build().readTree(CensusJson.toJson(bound));
    assertThat(parsed.toString()).isEqualTo(CensusJson.toJson(bound));
    assertThat(parsed.get("members").get(0).get("exports").get("port").asString())
        .isEqualTo("5432");
  }

  @Test
  void aBoundGroupWithoutLeaderHasANullLeaderAndIsNotSatisfied() {
    BoundGroup bound =
        new BoundGroup(
            Bind.of("cache", ServiceGroup.of("redis")),
            Topology.LEADER,
            null,
            Term.ZERO,
            List.of());
    assertThat(CensusJson.toJson(bound))
        .isEqualTo(
            "{\"bind\":{\"name\":\"cache\",\"group\":\"redis.default\",\"strict\":false},"
                + "\"topology\":\"leader\",\"leader\":null,\"term\":0,\"satisfied\":false,"
                + "\"members\":[]}");
  }

  @Test
  void nullIsRefused() {
    assertThatThrownBy(() -> CensusJson.toJson(nullCensus()))
        .isInstanceOf(NullPointerException.class);
  }

  @SuppressWarnings("NullAway")
  private static Census nullCensus() {
    return null;
  }
}
