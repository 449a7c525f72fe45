package io.habitat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
import io.habitat.core.Term;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupConfigsTest {

  private static final Term TERM = Term.of(4);

  @Test
  void aJsonObjectIsStampedWithItsVersionTermAndDigest() {
    String doc = "{\n  \"port\": 5432,\n  \"tuning\": {\"max_connections\": 100}\n}";
    GroupConfig c = GroupConfigs.check(3, TERM, ConfigFormat.JSON, doc);
    assertThat(c.version()).isEqualTo(3);
    assertThat(c.term()).isEqualTo(TERM);
    assertThat(c.format()).isEqualTo(ConfigFormat.JSON);
    assertThat(c.document()).isEqualTo(doc);
    assertThat(c.digest()).isEqualTo(GroupConfigs.sha256(doc));
    assertThat(GroupConfigs.asMap(c))
        .containsEntry("port", 5432)
        .containsEntry("tuning", Map.of("max_connections", 100));
  }

  @Test
  void aTomlDocumentIsStampedAndReadsAsNestedMaps() {
    String doc =
        """
        port = 5432
        name = "Zoë's db"
        replicas = ["a", "b"]

        [tuning]
        max_connections = 100
        """;
    GroupConfig c = GroupConfigs.check(1, TERM, ConfigFormat.TOML, doc);
    assertThat(c.format()).isEqualTo(ConfigFormat.TOML);
    assertThat(c.digest()).isEqualTo(GroupConfigs.sha256(doc));
    Map<String, Object> map = GroupConfigs.asMap(c);
    assertThat(map)
        .containsEntry("name", "Zoë's db")
        .containsEntry("replicas", List.of("a", "b"))
        .containsEntry("tuning", Map.of("max_connections", 100));
    assertThat(map.get("port"))
        .isInstanceOfSatisfying(Number.class, n -> assertThat(n.longValue()).isEqualTo(5432));
  }

  @Test
  void invalidJsonIsRefusedNamingTheFormatAndTheLine() {
    String doc = "{\n  \"port\": 5432,\n  \"name\": oops\n}";
    assertThatThrownBy(() -> GroupConfigs.check(1, TERM, ConfigFormat.JSON, doc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid json")
        .hasMessageContaining("line 3")
        .hasMessageContaining("nothing was applied");
  }

  @Test
  void invalidTomlIsRefusedNamingTheFormatAndTheLine() {
    String doc = "port = 5432\nname = \"unterminated\n[tuning]\n";
    assertThatThrownBy(() -> GroupConfigs.check(1, TERM, ConfigFormat.TOML, doc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid toml")
        .hasMessageContaining("line 2")
        .hasMessageContaining("nothing was applied");
  }

  @Test
  void aJsonDocumentMustBeOneObjectAtTheTop() {
    for (String doc : List.of("[1, 2, 3]", "42", "\"text\"", "null", "")) {
      assertThatThrownBy(() -> GroupConfigs.check(1, TERM, ConfigFormat.JSON, doc))
          .as(doc)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("one JSON object at the top");
    }
  }

  @Test
  void aJsonDocumentInTheTomlFormatIsNotValidToml() {
    assertThatThrownBy(() -> GroupConfigs.check(1, TERM, ConfigFormat.TOML, "{\"a\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("toml");
  }

  @Test
  void documentsOverSixtyFourKibibytesOfUtf8AreRefused() {
    String prefix = "{\"v\":\"";
    String suffix = "\"}";
    int room = GroupConfig.MAX_BYTES - prefix.length() - suffix.length();
    String exactly = prefix + "x".repeat(room) + suffix;
    assertThat(exactly.getBytes(StandardCharsets.UTF_8)).hasSize(GroupConfig.MAX_BYTES);
    assertThat(GroupConfigs.check(1, TERM, ConfigFormat.JSON, exactly).document())
        .isEqualTo(exactly);

    String oneMore = prefix + "x".repeat(room + 1) + suffix;
    assertThatThrownBy(() -> GroupConfigs.check(1, TERM, ConfigFormat.JSON, oneMore))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining((GroupConfig.MAX_BYTES + 1) + " bytes")
        .hasMessageContaining("at most " + GroupConfig.MAX_BYTES);

    // Bytes count, not characters: 'é' takes two.
    String wide = prefix + "é".repeat(room / 2 + 1) + suffix;
    assertThat(wide.length()).isLessThan(GroupConfig.MAX_BYTES);
    assertThatThrownBy(() -> GroupConfigs.check(1, TERM, ConfigFormat.JSON, wide))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes");
  }

  @Test
  void versionsBelowOneAreRefused() {
    for (long version : new long[] {0, -1, Long.MIN_VALUE}) {
      assertThatThrownBy(() -> GroupConfigs.check(version, TERM, ConfigFormat.JSON, "{}"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 or more, was " + version);
    }
    assertThat(GroupConfigs.check(1, TERM, ConfigFormat.JSON, "{}").version()).isEqualTo(1);
  }

  @Test
  void theDigestIsTheSha256OfTheUtf8BytesInLowerCaseHex() throws Exception {
    assertThat(GroupConfigs.sha256(""))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(GroupConfigs.sha256("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    String doc = "{\"greeting\": \"grüß dich ✓\"}";
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(doc.getBytes(StandardCharsets.UTF_8)));
    GroupConfig c = GroupConfigs.check(2, TERM, ConfigFormat.JSON, doc);
    assertThat(c.digest()).isEqualTo(expected).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(GroupConfigs.digestPrefix(c.digest()))
        .isEqualTo(Long.parseUnsignedLong(expected.substring(0, 16), 16));
  }
}
