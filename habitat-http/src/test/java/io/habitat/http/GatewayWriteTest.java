package io.habitat.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.GroupConfig;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The write side of the gateway over a real group on JGroups loopback channels: the token (missing,
 * wrong, disabled), yield, re-elect, group config (envelope and raw) and depart, and every refusal,
 * each checked to have changed nothing.
 */
class GatewayWriteTest {

  private static final ServiceGroup DB = ServiceGroup.parse("db.write");
  private static final ServiceGroup CACHE = ServiceGroup.parse("cache.write");
  private static final String TOKEN = "s3cret-token-0123456789abcdef";
  private static final String DB_PATH = "/census/db.write";

  private static LoopbackRing ring;
  private static List<Service> db;

  /** The members that stay up: d is crashed by one test. */
  private static List<Service> abc;

  private static Service dbA;
  private static Service dbC;
  private static HabitatGateway gwA;
  private static HabitatGateway gwB;
  private static HabitatGateway gwC;
  private static Http a;
  private static Http b;
  private static Http c;

  @BeforeAll
  static void startRing(@TempDir Path dir) {
    ring = new LoopbackRing(dir);
    Supervisor sa = ring.supervisor("a");
    Supervisor sb = ring.supervisor("b");
    Supervisor sc = ring.supervisor("c");
    Supervisor sd = ring.supervisor("d");
    dbA = sa.register(db("a", 1));
    sa.register(
        ServiceConfig.builder(CACHE)
            .topology(Topology.STANDALONE)
            .memberId(MemberId.of("a"))
            .build());
    Service dbB = sb.register(db("b", 2));
    dbC = sc.register(db("c", 3));
    Service dbD = sd.register(db("d", 0));
    db = List.of(dbA, dbB, dbC, dbD);
    abc = List.of(dbA, dbB, dbC);
    gwA = HabitatGateway.builder(sa).port(0).token(TOKEN).start();
    gwB = HabitatGateway.builder(sb).port(0).start();
    gwC = HabitatGateway.builder(sc).port(0).token(TOKEN).start();
    a = new Http(gwA);
    b = new Http(gwB);
    c = new Http(gwC);
    ring.startAll();
    LoopbackRing.awaitLeader(db, "c");
    Awaitility.await("all four are voters")
        .atMost(LoopbackRing.BOUND)
        .until(() -> db.stream().allMatch(s -> s.census().voters().size() == 4));
  }

  @AfterAll
  static void stopRing() {
    for (HabitatGateway g : new HabitatGateway[] {gwA, gwB, gwC}) {
      if (g != null) {
        g.close();
      }
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

  /** What the group looks like from every member: leader, term and config, per member. */
  private static String groupState() {
    StringBuilder out = new StringBuilder();
    for (Service s : abc) {
      out.append(s.census().self())
          .append(": leader=")
          .append(s.census().leader())
          .append(" term=")
          .append(s.census().term())
          .append(" config=")
          .append(s.groupConfig().map(GroupConfig::toString).orElse("none"))
          .append('\n');
    }
    return out.toString();
  }

  private static void assertRefused(
      HttpResponse<String> r, int status, String errorPart, String hintPart) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    JsonNode body = Http.json(r);
    assertThat(body.get("error").asString()).contains(errorPart);
    assertThat(body.get("hint").asString()).contains(hintPart);
    assertThat(body.get("status").asInt()).isEqualTo(status);
  }

  @Test
  void writeCallsWithoutAConfiguredTokenAreRefusedWith403SayingHowToEnableThem() {
    String before = groupState();

    HttpResponse<String> r = b.post(DB_PATH + "/reelect", "", TOKEN);

    assertRefused(r, 403, "write calls are disabled", ".token(");
    assertThat(gwB.writesEnabled()).isFalse();
    assertThat(groupState()).isEqualTo(before);
  }

  @Test
  void writeCallsWithAMissingOrWrongTokenAreRefusedWith401AndChangeNothing() {
    String before = groupState();
    String envelope = "{\"version\":99,\"format\":\"json\",\"document\":\"{}\"}";

    HttpResponse<String> missing = c.post(DB_PATH + "/yield", "", (String) null);
    assertRefused(missing, 401, "no Authorization header", "Authorization: Bearer");
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"habitat\"");

    HttpResponse<String> basic =
        c.post(DB_PATH + "/yield", "", "Authorization", "Basic dXNlcjpwYXNz");
    assertRefused(basic, 401, "not a bearer token", "Bearer");

    HttpResponse<String> wrong = c.post(DB_PATH + "/yield", "", TOKEN + "x");
    assertRefused(wrong, 401, "does not match", "token the gateway was started with");
    assertThat(wrong.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));

    HttpResponse<String> prefix = c.post(DB_PATH + "/yield", "", TOKEN.substring(0, 10));
    assertThat(prefix.statusCode()).isEqualTo(401);

    assertThat(a.post(DB_PATH + "/config", envelope, "wrong-token-wrong-token").statusCode())
        .isEqualTo(401);
    assertThat(a.post(DB_PATH + "/depart/d", "", (String) null).statusCode()).isEqualTo(401);

    assertThat(groupState()).isEqualTo(before);
  }

  @Test
  void yieldOnAFollowerIsAConflictThatNamesTheLeader() {
    String before = groupState();

    HttpResponse<String> r = a.post(DB_PATH + "/yield", "", TOKEN);

    assertRefused(r, 409, "member a does not lead db.write", "/census/db.write/reelect");
    assertThat(Http.json(r).get("error").asString()).contains("its leader is");
    assertThat(groupState()).isEqualTo(before);
  }

  @Test
  void yieldAndReelectOnAStandaloneGroupAreConflicts() {
    assertRefused(
        a.post("/census/cache.write/yield", "", TOKEN),
        409,
        "standalone",
        "leader and initializer");
    assertRefused(
        a.post("/census/cache.write/reelect", "", TOKEN),
        409,
        "standalone",
        "leader and initializer");
  }

  @Test
  void unknownGroupsMalformedNamesUnknownActionsAndWrongMethodsAreRefused() {
    String before = groupState();

    assertRefused(
        a.post("/census/nope.write/yield", "", TOKEN), 404, "no member of nope.write", "db.write");
    assertRefused(
        a.post("/census/a.b.c/reelect", "", TOKEN), 400, "more than one '.'", "service.group");
    assertRefused(
        a.post(DB_PATH + "/explode", "", TOKEN), 404, "no endpoint", "/census/{group}/yield");
    assertRefused(a.get(DB_PATH + "/config"), 405, "GET is not allowed", "POST");
    assertRefused(a.method("PUT", DB_PATH + "/config"), 405, "PUT is not allowed", "POST");

    assertThat(groupState()).isEqualTo(before);
  }

  @Test
  void aJsonEnvelopeAppliesTheDocumentToTheWholeGroup() {
    long next = dbA.census().configVersion() + 1;
    String envelope =
        "{\"version\":" + next + ",\"format\":\"toml\",\"document\":\"[pool]\\nsize = 8\\n\"}";

    HttpResponse<String> r = a.post(DB_PATH + "/config", envelope, TOKEN);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = Http.json(r);
    assertThat(body.get("version").asLong()).isEqualTo(next);
    assertThat(body.get("format").asString()).isEqualTo("toml");
    assertThat(body.get("digest").asString()).hasSize(64);
    awaitConfigEverywhere(next, "[pool]\nsize = 8\n");
  }

  @Test
  void aRawDocumentWithVersionAndFormatInTheQueryIsAppliedToo() {
    long next = dbA.census().configVersion() + 1;
    String document = "{\"pool\": {\"size\": 16}}";

    HttpResponse<String> r =
        c.post(DB_PATH + "/config?version=" + next + "&format=json", document, TOKEN);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Http.json(r).get("format").asString()).isEqualTo("json");
    awaitConfigEverywhere(next, document);
  }

  private static void awaitConfigEverywhere(long version, String document) {
    Awaitility.await("every member holds config version " + version)
        .atMost(LoopbackRing.BOUND)
        .until(
            () ->
                abc.stream()
                    .allMatch(
                        s ->
                            s.groupConfig().map(GroupConfig::version).equals(Optional.of(version))
                                && s.groupConfig().get().document().equals(document)));
  }

  @Test
  void badConfigRequestsAreRefusedWithWhatWasWrongAndApplyNothing() {
    // a document the group holds, so that "nothing changed" compares real content
    long held = dbA.census().configVersion();
    if (held == 0) {
      assertThat(
              a.post(
                      DB_PATH + "/config",
                      "{\"version\":1,\"format\":\"json\",\"document\":\"{}\"}",
                      TOKEN)
                  .statusCode())
          .isEqualTo(200);
      held = 1;
      awaitConfigEverywhere(1, "{}");
    }
    String before = groupState();
    long next = held + 1;
    String path = DB_PATH + "/config";

    assertRefused(
        a.post(path, "{\"version\":" + held + ",\"format\":\"json\",\"document\":\"{}\"}", TOKEN),
        409,
        "",
        "send a higher version");
    assertRefused(
        a.post(path, "{\"version\":" + next + ",", TOKEN), 400, "not valid JSON", "\"version\":N");
    assertRefused(a.post(path, "[1,2]", TOKEN), 400, "not an object", "\"version\":N");
    assertRefused(a.post(path, "", TOKEN), 400, "the body is empty", "?version=N");
    assertRefused(
        a.post(path, "{\"format\":\"json\",\"document\":\"{}\"}", TOKEN),
        400,
        "field 'version' is missing",
        "a number");
    assertRefused(
        a.post(
            path, "{\"version\":\"" + next + "\",\"format\":\"json\",\"document\":\"{}\"}", TOKEN),
        400,
        "field 'version' must be a whole number",
        "a number");
    assertRefused(
        a.post(path, "{\"version\":" + next + ",\"document\":\"{}\"}", TOKEN),
        400,
        "field 'format' is missing",
        "toml");
    assertRefused(
        a.post(path, "{\"version\":" + next + ",\"format\":\"json\",\"document\":7}", TOKEN),
        400,
        "field 'document' must be a string",
        "JSON string");
    assertRefused(
        a.post(
            path,
            "{\"version\":" + next + ",\"format\":\"json\",\"document\":\"{}\",\"dokument\":1}",
            TOKEN),
        400,
        "unknown field(s) [dokument]",
        "exactly version, format and document");
    assertRefused(
        a.post(path, "{\"version\":" + next + ",\"format\":\"yaml\",\"document\":\"a: 1\"}", TOKEN),
        400,
        "unknown config format 'yaml'",
        "toml or json");
    assertRefused(
        a.post(path, "{\"version\":0,\"format\":\"json\",\"document\":\"{}\"}", TOKEN),
        400,
        "version",
        "nothing was applied");
    assertRefused(
        a.post(
            path, "{\"version\":" + next + ",\"format\":\"toml\",\"document\":\"= = =\"}", TOKEN),
        400,
        "",
        "nothing was applied");
    assertRefused(
        a.post(path + "?version=" + next, "{}", TOKEN),
        400,
        "query parameter 'format' is missing",
        "?version=N&format=toml|json");
    assertRefused(
        a.post(path + "?verison=" + next + "&format=json", "{}", TOKEN),
        400,
        "unknown query parameter 'verison'",
        "?version=N&format=toml|json");
    assertRefused(
        a.post(path + "?version=ten&format=json", "{}", TOKEN),
        400,
        "must be a whole number, was 'ten'",
        "?version=N");
    // larger than the gateway takes: refused before it is read
    assertRefused(
        a.post(path + "?version=" + next + "&format=toml", "x".repeat(MAX_BODY + 1), TOKEN),
        413,
        "at most " + MAX_BODY + " bytes",
        "64 KiB");
    // within the gateway's limit, but larger than a group config may be
    String big = "k = \"" + "x".repeat(GroupConfig.MAX_BYTES) + "\"\n";
    assertRefused(
        a.post(path + "?version=" + next + "&format=toml", big, TOKEN),
        400,
        "",
        "nothing was applied");

    assertThat(groupState()).isEqualTo(before);
    assertThat(dbA.census().configVersion()).isEqualTo(held);
  }

  /** The body limit of the gateway: four times the largest group config. */
  private static final int MAX_BODY = 4 * GroupConfig.MAX_BYTES;

  @Test
  void departRemovesADeadMemberFromTheVotingMembership() {
    assertRefused(
        a.post(DB_PATH + "/depart/zz", "", TOKEN),
        404,
        "member zz is not in the census",
        "member ids");
    assertRefused(
        a.post(DB_PATH + "/depart/-bad", "", TOKEN),
        400,
        "member id '-bad' is not allowed",
        "member ids");
    assertThat(dbA.census().member(MemberId.of("d"))).isPresent();

    ring.crash("d");
    HttpResponse<String> r = a.post(DB_PATH + "/depart/d", "", TOKEN);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(Http.json(r).get("departed").asString()).isEqualTo("d");
    Awaitility.await("d is departed and no longer votes, as a, b and c see it")
        .atMost(LoopbackRing.BOUND)
        .until(
            () ->
                abc.stream()
                    .allMatch(
                        s ->
                            !s.census().voters().contains(MemberId.of("d"))
                                && s.census()
                                    .member(MemberId.of("d"))
                                    .map(m -> m.state() == MemberState.DEPARTED)
                                    .orElse(true)));
  }

  @Test
  void yieldOnTheLeaderHandsOverAndReelectOnAFollowerStartsANewTerm() {
    LoopbackRing.awaitLeader(abc, "c");
    Term first = dbC.census().term();

    HttpResponse<String> yielded = c.post(DB_PATH + "/yield", "", TOKEN);

    assertThat(yielded.statusCode()).as(yielded.body()).isEqualTo(202);
    assertThat(Http.json(yielded).get("action").asString()).isEqualTo("yield");
    Awaitility.await("another member leads in a higher term")
        .atMost(LoopbackRing.BOUND)
        .until(
            () ->
                dbA.census().leaderId().filter(l -> !l.value().equals("c")).isPresent()
                    && dbA.census().term().compareTo(first) > 0);
    Term second = dbA.census().term();

    HttpResponse<String> reelect = a.post(DB_PATH + "/reelect", "", TOKEN);

    assertThat(reelect.statusCode()).as(reelect.body()).isEqualTo(202);
    Awaitility.await("the group elected again, in a higher term, and a, b and c agree on it")
        .atMost(LoopbackRing.BOUND)
        .until(
            () ->
                dbA.census().leaderId().isPresent()
                    && dbA.census().term().compareTo(second) > 0
                    && abc.stream()
                        .allMatch(
                            s ->
                                s.census().leaderId().equals(dbA.census().leaderId())
                                    && s.census().term().equals(dbA.census().term())));
  }
}
