package io.habitat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupConfigTest {

  private static GroupConfig config(long version, long term, String digest) {
    return new GroupConfig(version, Term.of(term), digest, ConfigFormat.JSON, "{}");
  }

  @Test
  void documentsAreOrderedByVersionThenTermThenDigest() {
    GroupConfig v1 = config(1, 9, "ff");
    GroupConfig v2t1a = config(2, 1, "aa");
    GroupConfig v2t1b = config(2, 1, "bb");
    GroupConfig v2t3 = config(2, 3, "00");
    GroupConfig v10 = config(10, 0, "00");
    List<GroupConfig> expected = List.of(v1, v2t1a, v2t1b, v2t3, v10);
    List<GroupConfig> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(7));
    Collections.sort(shuffled);
    assertThat(shuffled).containsExactlyElementsOf(expected);

    assertThat(v2t1a.isAfter(v1)).as("a higher version wins over a higher term").isTrue();
    assertThat(v2t3.isAfter(v2t1b)).as("same version: the higher term wins").isTrue();
    assertThat(v2t1b.isAfter(v2t1a)).as("same version and term: the digest decides").isTrue();
    assertThat(v2t1a.isAfter(v2t1b)).isFalse();
    assertThat(v10.isAfter(v2t3)).as("versions compare as numbers").isTrue();
    assertThat(v1.isAfter(v1)).isFalse();
    assertThat(v1.compareTo(config(1, 9, "ff"))).isZero();
  }

  @Test
  void theVersionIsOneOrMore() {
    assertThatThrownBy(() -> config(0, 1, "aa"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 or more, was 0");
  }

  @Test
  void toStringShowsTheVersionTermFormatAndADigestPrefix() {
    GroupConfig c =
        new GroupConfig(
            3,
            Term.of(5),
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            ConfigFormat.TOML,
            "a = 1");
    assertThat(c).hasToString("GroupConfig[version=3, term=5, toml, sha256=0123456789ab]");
  }
}
