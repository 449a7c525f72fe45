package io.habitat.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration processor's IDE metadata ({@code META-INF/spring-configuration-metadata.json},
 * packed into the jar) lists every {@code habitat.*} property with its description and default.
 */
class ConfigurationMetadataTest {

  private static JsonNode metadata() throws IOException {
    for (URL url :
        Collections.list(
            ConfigurationMetadataTest.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        JsonNode node = JsonMapper.builder().build().readTree(in);
        for (JsonNode group : node.get("groups")) {
          if ("habitat".equals(group.get("name").asString())) {
            return node;
          }
        }
      }
    }
    throw new AssertionError("no configuration metadata with the habitat group on the class path");
  }

  private static Map<String, JsonNode> properties() throws IOException {
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode p : metadata().get("properties")) {
      out.put(p.get("name").asString(), p);
    }
    return out;
  }

  private static JsonNode defaultOf(Map<String, JsonNode> properties, String name) {
    JsonNode property = properties.get(name);
    assertThat(property).as(name).isNotNull();
    JsonNode value = java.util.Objects.requireNonNull(property).get("defaultValue");
    assertThat(value).as("default of " + name).isNotNull();
    return java.util.Objects.requireNonNull(value);
  }

  @Test
  void everyHabitatPropertyHasADescription() throws IOException {
    List<String> undocumented = new ArrayList<>();
    Map<String, JsonNode> properties = properties();
    properties.forEach(
        (name, p) -> {
          if (name.startsWith("habitat.")
              && (!p.has("description") || p.get("description").asString().isBlank())) {
            undocumented.add(name);
          }
        });
    assertThat(undocumented).isEmpty();
    assertThat(properties.keySet())
        .contains(
            "habitat.enabled",
            "habitat.data-directory",
            "habitat.ring.name",
            "habitat.ring.preset",
            "habitat.ring.initial-hosts",
            "habitat.ring.dns-query",
            "habitat.ring.key",
            "habitat.ring.key-file",
            "habitat.ring.passphrase",
            "habitat.ring.bind-address",
            "habitat.ring.bind-port",
            "habitat.ring.port-range",
            "habitat.service.name",
            "habitat.service.group",
            "habitat.service.organization",
            "habitat.service.topology",
            "habitat.service.member-id",
            "habitat.service.suitability",
            "habitat.service.health-interval",
            "habitat.service.hook-timeout",
            "habitat.startup.wait-for-ready",
            "habitat.startup.timeout",
            "habitat.readiness.enabled",
            "habitat.health.actuator.enabled",
            "habitat.timing.leader-lease");
  }

  @Test
  void defaultsAreInTheMetadata() throws IOException {
    Map<String, JsonNode> properties = properties();
    assertThat(defaultOf(properties, "habitat.service.topology").asString())
        .isEqualTo("standalone");
    assertThat(defaultOf(properties, "habitat.startup.timeout").asString()).isEqualTo("2m");
    assertThat(defaultOf(properties, "habitat.service.bootstrap-size").asInt()).isEqualTo(3);
    assertThat(defaultOf(properties, "habitat.startup.phase").asInt())
        .isEqualTo(HabitatLifecycle.DEFAULT_PHASE);
    assertThat(defaultOf(properties, "habitat.health.actuator.exclude").get(0).asString())
        .isEqualTo("readinessState");
  }
}
