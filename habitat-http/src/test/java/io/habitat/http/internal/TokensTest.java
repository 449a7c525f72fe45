package io.habitat.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensTest {

  @Test
  void onlyTheExactTokenMatches() {
    Tokens.Digest d = Tokens.digest("0123456789abcdef");

    assertThat(d.matches("0123456789abcdef")).isTrue();
    assertThat(d.matches("0123456789abcdeF")).isFalse();
    assertThat(d.matches("0123456789abcde")).isFalse();
    assertThat(d.matches("0123456789abcdef0")).isFalse();
    assertThat(d.matches("")).isFalse();
  }
}
