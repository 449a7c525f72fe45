package io.habitat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportsTest {

  private static Map<String, String> entries(int count) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < count; i++) {
      m.put("k" + i, "v");
    }
    return m;
  }

  @Test
  void returnsAnImmutableCopyOrderedByKey() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("port", "5432");
    given.put("host", "10.0.0.1");
    given.put("db.name", "main");
    Map<String, String> valid = Exports.validate(given);
    assertThat(valid.keySet()).containsExactly("db.name", "host", "port");
    assertThat(valid).isEqualTo(given);
    assertThatThrownBy(() -> valid.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    given.put("later", "change");
    assertThat(valid).doesNotContainKey("later");
    assertThat(Exports.validate(Map.of())).isEmpty();
  }

  @Test
  void atMostThirtyTwoEntries() {
    assertThat(Exports.validate(entries(Exports.MAX_ENTRIES))).hasSize(32);
    assertThatThrownBy(() -> Exports.validate(entries(Exports.MAX_ENTRIES + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too many exports: 33")
        .hasMessageContaining("at most 32");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Host", "-port", ".port", "_port", "a b", "port:1", "é"})
  void keysAreLowerCaseLettersDigitsDotsDashesAndUnderscores(String key) {
    assertThatThrownBy(() -> Exports.validate(Map.of(key, "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("export key '" + key + "' is not valid")
        .hasMessageContaining("1-64 characters");
  }

  @Test
  void keysMayBeSixtyFourCharactersLong() {
    String longest = "k".repeat(64);
    assertThat(Exports.validate(Map.of(longest, "v", "0.a_b-c", "v"))).hasSize(2);
    assertThatThrownBy(() -> Exports.validate(Map.of(longest + "k", "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not valid");
  }

  @Test
  void valuesAreAtMost1024Characters() {
    assertThat(Exports.validate(Map.of("v", "x".repeat(Exports.MAX_VALUE_CHARS)))).hasSize(1);
    assertThatThrownBy(() -> Exports.validate(Map.of("big", "x".repeat(1025))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("export 'big' has a value of 1025 characters")
        .hasMessageContaining("at most 1024");
  }

  @Test
  void keysAndValuesTogetherAreAtMost4096BytesOfUtf8() {
    // Four entries of 1 + 1023 bytes: exactly 4096.
    Map<String, String> exactly = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      exactly.put("k" + i, "x".repeat(1022));
    }
    assertThat(Exports.validate(exactly)).hasSize(4);
    exactly.put("z", "");
    assertThatThrownBy(() -> Exports.validate(exactly))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exports take 4097 bytes")
        .hasMessageContaining("at most 4096");
    // Bytes, not characters: 'é' takes two, so 3 x 700 characters are 4200 bytes and more.
    Map<String, String> wide =
        Map.of("a", "é".repeat(700), "b", "é".repeat(700), "c", "é".repeat(700));
    assertThatThrownBy(() -> Exports.validate(wide))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes");
  }

  @Test
  @SuppressWarnings("NullAway") // a null value on purpose
  void nullsAreRefused() {
    Map<String, String> withNullValue = new HashMap<>();
    withNullValue.put("k", null);
    assertThatThrownBy(() -> Exports.validate(withNullValue))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("'k'");
  }
}
