package io.habitat.test.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Bind;
import io.habitat.core.ConfigFormat;
import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.test.network.InMemoryRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The examples of {@code docs/topologies.md}, compiled and run on the in-memory ring. Each example
 * sits between {@code // tag::name[]} and {@code // end::name[]}; {@link
 * #theDocumentQuotesEveryExampleVerbatim()} fails when the document and the code drift apart.
 */
class TopologyExamplesTest {

  private static final Path DOC = Path.of("..", "docs", "topologies.md");
  private static final Path SELF =
      Path.of("src", "test", "java", "io", "habitat", "test", "docs", "TopologyExamplesTest.java");

  private final List<String> calls = new ArrayList<>();
  private volatile boolean databaseUp;

  // The application's side of the examples.
  private void promote(Term term) {
    calls.add("promote " + term);
  }

  private void demote() {
    calls.add("demote");
  }

  private void followPrimary(String host, Term term) {
    calls.add("follow " + host + " " + term);
  }

  private void migrateSchema(Term term) {
    calls.add("migrate " + term);
  }

  private void pointPoolAt(Optional<String> host) {
    calls.add("pool " + host.orElse("-"));
  }

  private void reload(String document) {
    calls.add("reload " + document.strip());
  }

  private ServiceConfig leaderExample(String host) {
    // tag::leader[]
    ServiceConfig replica =
        ServiceConfig.builder(ServiceGroup.parse("postgres.main"))
            .topology(Topology.LEADER)
            .exports(Map.of("host", host, "port", "5432"))
            .onElected(leadership -> promote(leadership.term()))
            .onRevoked(leadership -> demote())
            .onReconfigure(leader -> followPrimary(leader.exports().get("host"), leader.term()))
            .build();
    // end::leader[]
    return replica;
  }

  private ServiceConfig initializerExample() {
    // tag::initializer[]
    ServiceConfig orders =
        ServiceConfig.builder(ServiceGroup.parse("orders.main"))
            .topology(Topology.INITIALIZER)
            .init(leadership -> migrateSchema(leadership.term())) // must be idempotent
            .healthCheck(() -> databaseUp ? Health.OK : Health.WARNING) // warming up
            .build();
    // end::initializer[]
    return orders;
  }

  private ServiceConfig bindExample() {
    // tag::bind[]
    ServiceConfig web =
        ServiceConfig.builder(ServiceGroup.parse("web.main"))
            .bind(Bind.strict("database", ServiceGroup.parse("postgres.main")))
            .onBindChanged(db -> pointPoolAt(db.leaderMember().map(m -> m.exports().get("host"))))
            .onGroupConfig(config -> reload(config.document()))
            .build();
    // end::bind[]
    return web;
  }

  @Test
  void leaderExampleReconfiguresFollowersOnFailover() {
    try (InMemoryRing ring = InMemoryRing.create(7)) {
      InMemoryRing.Member a = ring.start("a", leaderExample("10.0.0.1"));
      InMemoryRing.Member b = ring.start("b", leaderExample("10.0.0.2"));
      InMemoryRing.Member c = ring.start("c", leaderExample("10.0.0.3"));
      ring.await("c leads", () -> c.service().isLeader());
      ring.await("c promoted", () -> calls.contains("promote 1"));
      ring.await(
          "a and b follow c",
          () -> calls.stream().filter(s -> s.startsWith("follow 10.0.0.3")).count() == 2);
      ring.crash(c);
      ring.await("b leads", () -> b.service().isLeader());
      Term term = b.service().census().term();
      ring.await("a follows b", () -> calls.contains("follow 10.0.0.2 " + term));
      assertThat(calls).contains("promote " + term);
      assertThat(a.service().census().leaderId()).contains(MemberId.of("b"));
    }
  }

  @Test
  void initializerExampleReleasesFollowersOnlyOnceTheLeaderIsHealthy() {
    try (InMemoryRing ring = InMemoryRing.create(8)) {
      List<InMemoryRing.Member> members = new ArrayList<>();
      for (String name : List.of("a", "b", "c")) {
        members.add(ring.start(name, initializerExample()));
      }
      ring.await("init ran", () -> calls.stream().anyMatch(s -> s.startsWith("migrate")));
      ring.runFor(java.time.Duration.ofSeconds(3));
      // The database is still warming up: init ran, but nobody finished start-up.
      for (InMemoryRing.Member m : members) {
        assertThat(m.service().ready().toCompletableFuture()).isNotDone();
      }
      databaseUp = true;
      for (InMemoryRing.Member m : members) {
        ring.await(m.name() + " ready", () -> m.service().ready().toCompletableFuture().isDone());
        assertThat(m.service().census().initialisation().initialised()).isTrue();
      }
    }
  }

  @Test
  void bindExampleWaitsForTheDatabaseLeaderAndReadsItsExports() {
    try (InMemoryRing ring = InMemoryRing.create(9)) {
      InMemoryRing.Member web = ring.start("web", bindExample());
      ring.runFor(java.time.Duration.ofSeconds(1));
      assertThat(web.service().ready().toCompletableFuture()).isNotDone();
      ring.start("a", leaderExample("10.0.0.1"));
      ring.start("b", leaderExample("10.0.0.2"));
      ring.start("c", leaderExample("10.0.0.3"));
      ring.await("web ready", () -> web.service().ready().toCompletableFuture().isDone());
      ring.await("pool points at c", () -> calls.contains("pool 10.0.0.3"));

      // tag::apply[]
      web.service().applyConfig(2, ConfigFormat.TOML, "max_connections = 200\n");
      // end::apply[]
      ring.await("config reloaded", () -> calls.contains("reload max_connections = 200"));
      assertThat(web.service().groupConfig())
          .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo(2));
    }
  }

  @Test
  void theDocumentQuotesEveryExampleVerbatim() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String code = Files.readString(SELF, StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile("// tag::(\\w+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL)
            .matcher(code);
    int found = 0;
    while (m.find()) {
      found++;
      String snippet = dedent(m.group(2));
      assertThat(doc).as("docs/topologies.md quotes example '%s'", m.group(1)).contains(snippet);
    }
    assertThat(found).isEqualTo(4);
  }

  private static String dedent(String block) {
    List<String> lines = block.lines().collect(Collectors.toList());
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    int cut = indent;
    return lines.stream()
        .map(l -> l.length() >= cut ? l.substring(cut) : l.strip())
        .collect(Collectors.joining("\n"));
  }
}
