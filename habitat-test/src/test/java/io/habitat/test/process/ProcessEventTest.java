package io.habitat.test.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessEventTest {

  @Test
  void parsesAnEventLine() {
    ProcessEvent event =
        ProcessEvent.parse("@habitat 1700000000123 elected term=4 member=m-1").get();
    assertThat(event.wallMillis()).isEqualTo(1700000000123L);
    assertThat(event.type()).isEqualTo("elected");
    assertThat(event.fields()).containsExactly(Map.entry("term", "4"), Map.entry("member", "m-1"));
    assertThat(event.require("term")).isEqualTo("4");
    assertThat(event.field("missing")).isEmpty();
    assertThat(event.raw()).isEqualTo("@habitat 1700000000123 elected term=4 member=m-1");
  }

  @Test
  void aValueMayBeEmptyOrContainEquals() {
    ProcessEvent event = ProcessEvent.parse("@habitat 1 config a= b=x=y").get();
    assertThat(event.fields()).containsExactly(Map.entry("a", ""), Map.entry("b", "x=y"));
  }

  @Test
  void plainAndMalformedLinesAreNotEvents() {
    assertThat(ProcessEvent.parse("12:00:00 INFO started")).isEmpty();
    assertThat(ProcessEvent.parse("@habitat")).isEmpty();
    assertThat(ProcessEvent.parse("@habitat 12")).isEmpty();
    assertThat(ProcessEvent.parse("@habitat soon started")).isEmpty();
    assertThat(ProcessEvent.parse("@habitat 12 started novalue")).isEmpty();
    assertThat(ProcessEvent.parse("@habitatx 12 started")).isEmpty();
  }

  @Test
  void childEventLinesParseBack() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      ChildProcess.event("elected", "term", 7L, "member", "m-2", "empty", "");
    } finally {
      System.setOut(original);
    }
    String line = bytes.toString(StandardCharsets.UTF_8).strip();
    ProcessEvent event = ProcessEvent.parse(line).get();
    assertThat(event.type()).isEqualTo("elected");
    assertThat(event.fields())
        .containsExactly(
            Map.entry("term", "7"), Map.entry("member", "m-2"), Map.entry("empty", ""));
  }

  @Test
  void childRejectsEventsThatWouldNotParseBack() {
    assertThatThrownBy(() -> ChildProcess.event("two words"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChildProcess.event("t", "key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pairs");
    assertThatThrownBy(() -> ChildProcess.event("t", "k=", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChildProcess.event("t", "k", "a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whitespace");
  }
}
