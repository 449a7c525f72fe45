package io.habitat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.ConfigFormat;
import io.habitat.core.GroupConfig;
import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.spi.MemberRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group config a member record carries, through {@link FileLocalStore}. */
class FileLocalStoreGroupConfigTest {

  private static final ServiceGroup GROUP = ServiceGroup.parse("postgres.main@acme");

  /** Several lines, a tab, and characters outside Latin-1 and outside the BMP. */
  private static final String DOCUMENT =
      """
      # réglages — Grüße
      name = "Zoë ✓ 数据库 \uD83D\uDE80"

      [tuning]
      \tmax_connections = 100
      motd = \"""
      line one = not a property
      line two: with \\\\ backslash and #hash
      \"""
      """;

  private static MemberRecord recordWithConfig() {
    GroupConfig config = GroupConfigs.check(3, Term.of(2), ConfigFormat.TOML, DOCUMENT);
    return MemberRecord.fresh(MemberId.of("pg-0"))
        .withTerm(Term.of(5))
        .withMembership(
            new MemberRecord.Membership(2, 1, List.of(MemberId.of("pg-0"), MemberId.of("pg-1"))))
        .withGroupConfig(config);
  }

  @Test
  void aRecordWithAGroupConfigRoundTripsThroughReopen(@TempDir Path dir) throws IOException {
    MemberRecord record = recordWithConfig();
    Path file;
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, record);
      assertThat(store.load(GROUP)).contains(record);
      file = store.recordFile(GROUP);
    }
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      MemberRecord back = store.load(GROUP).orElseThrow();
      assertThat(back).isEqualTo(record);
      GroupConfig config = Objects.requireNonNull(back.groupConfig(), "group config");
      assertThat(config.document()).isEqualTo(DOCUMENT);
      assertThat(config.digest()).isEqualTo(GroupConfigs.sha256(DOCUMENT));
      assertThat(config.format()).isEqualTo(ConfigFormat.TOML);
    }
    // The document is kept as base64 of its UTF-8 bytes, so the properties file stays one line a
    // key and pure ASCII whatever the document holds.
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines)
        .contains(
            "config-version=3",
            "config-term=2",
            "config-format=toml",
            "config-sha256=" + GroupConfigs.sha256(DOCUMENT),
            "config-document-base64="
                + Base64.getEncoder().encodeToString(DOCUMENT.getBytes(StandardCharsets.UTF_8)));
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).matches("\\p{ASCII}*");
  }

  @Test
  void aNewerGroupConfigReplacesTheOlderOne(@TempDir Path dir) {
    MemberRecord first = recordWithConfig();
    MemberRecord second =
        first.withGroupConfig(GroupConfigs.check(4, Term.of(5), ConfigFormat.JSON, "{\"a\": 1}"));
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, first);
      store.save(GROUP, second);
    }
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      assertThat(store.load(GROUP)).contains(second);
    }
  }

  @Test
  void aDocumentThatDoesNotMatchItsDigestIsRefusedAsCorrupt(@TempDir Path dir) throws IOException {
    Path file;
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, recordWithConfig());
      file = store.recordFile(GROUP);
    }
    String tampered = DOCUMENT.replace("100", "999");
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lines.add(
          line.startsWith("config-document-base64=")
              ? "config-document-base64="
                  + Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8))
              : line);
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      assertThatThrownBy(() -> store.load(GROUP))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("corrupt")
          .hasMessageContaining("does not match its sha256")
          .hasMessageContaining("restore it from a backup");
      // Nor is it overwritten: the highest term it holds must not be lost.
      assertThatThrownBy(() -> store.save(GROUP, recordWithConfig()))
          .isInstanceOf(HabitatException.class);
    }
  }

  @Test
  void aDocumentThatIsNotBase64IsRefusedAsCorrupt(@TempDir Path dir) throws IOException {
    Path file;
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, recordWithConfig());
      file = store.recordFile(GROUP);
    }
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lines.add(line.startsWith("config-document-base64=") ? line + "!!" : line);
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      assertThatThrownBy(() -> store.load(GROUP))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining("corrupt")
          .hasMessageContaining("not base64");
    }
  }
}
