package io.habitat.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Host names a gateway on a loopback address answers (the guard against DNS rebinding). */
class LoopbackNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "localhost:9631",
        "LOCALHOST:9631",
        "localhost.",
        "app.localhost:80",
        "127.0.0.1",
        "127.0.0.1:9631",
        "127.1.2.3:1",
        "[::1]",
        "[::1]:9631"
      })
  void loopbackNamesAreAnswered(String host) {
    assertThat(Routes.isLoopbackName(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "evil.example",
        "evil.example:9631",
        "localhost.evil.example",
        "127.0.0.1.evil.example",
        "10.0.0.1:9631",
        "128.0.0.1",
        "127.0.0",
        "127.0.0.1111",
        "[::2]:9631",
        "[::1",
        ""
      })
  void otherNamesAreNot(String host) {
    assertThat(Routes.isLoopbackName(host)).isFalse();
  }
}
