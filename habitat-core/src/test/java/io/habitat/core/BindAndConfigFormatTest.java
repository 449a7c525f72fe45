package io.habitat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BindAndConfigFormatTest {

  private static final ServiceGroup PG = ServiceGroup.parse("postgres.main");

  @ParameterizedTest
  @ValueSource(strings = {"database", "db-1", "a_b", "0", "x"})
  void bindNamesOfLowerCaseLettersDigitsDashesAndUnderscoresAreAccepted(String name) {
    assertThat(Bind.of(name, PG).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Database", "db.main", "a b", "db:1", "é"})
  void otherBindNamesAreRefusedSayingWhatIsAllowed(String name) {
    assertThatThrownBy(() -> Bind.of(name, PG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bind name '" + name + "' is not valid")
        .hasMessageContaining("1-63 characters");
  }

  @Test
  void bindNamesAreAtMostSixtyThreeCharacters() {
    assertThat(Bind.of("b".repeat(63), PG).name()).hasSize(63);
    assertThatThrownBy(() -> Bind.of("b".repeat(64), PG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1-63 characters");
  }

  @Test
  void strictAndNonStrictBinds() {
    assertThat(Bind.strict("db", PG).strict()).isTrue();
    assertThat(Bind.of("db", PG).strict()).isFalse();
    assertThat(Bind.of("db", PG).group()).isEqualTo(PG);
  }

  @Test
  void configFormatsParseIgnoringCaseAndSpace() {
    assertThat(ConfigFormat.parse("json")).isEqualTo(ConfigFormat.JSON);
    assertThat(ConfigFormat.parse("TOML")).isEqualTo(ConfigFormat.TOML);
    assertThat(ConfigFormat.parse(" Toml\n")).isEqualTo(ConfigFormat.TOML);
    for (ConfigFormat f : ConfigFormat.values()) {
      assertThat(ConfigFormat.parse(f.configName())).isEqualTo(f);
    }
  }

  @Test
  void unknownConfigFormatsAreRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> ConfigFormat.parse("yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown config format 'yaml'")
        .hasMessageContaining("expected one of json, toml");
    assertThatThrownBy(() -> ConfigFormat.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown config format ''");
  }
}
