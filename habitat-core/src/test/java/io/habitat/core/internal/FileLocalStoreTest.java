package io.habitat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.HabitatException;
import io.habitat.core.LocalStores;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.spi.LocalStore;
import io.habitat.core.spi.MemberRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLocalStoreTest {

  private static final ServiceGroup GROUP = ServiceGroup.parse("postgres.financialdb@acme");
  private static final MemberId MEMBER = MemberId.of("member-1");

  private static MemberRecord record(long term, boolean initialised, long initialisedTerm) {
    return new MemberRecord(MEMBER, Term.of(term), initialised, Term.of(initialisedTerm));
  }

  @Test
  void loadIsEmptyForAGroupNeverSaved(@TempDir Path dir) {
    try (LocalStore store = LocalStores.directory(dir.resolve("data"))) {
      assertThat(store.load(GROUP)).isEmpty();
    }
    assertThat(dir.resolve("data")).isDirectory();
  }

  @Test
  void savedRecordRoundTripsInTheDocumentedFormat(@TempDir Path dir) throws IOException {
    MemberRecord record = record(7, true, 5);
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, record);
      assertThat(store.load(GROUP)).contains(record);
      assertThat(store.load(ServiceGroup.of("postgres", "financialdb"))).isEmpty();
    }
    Path file = dir.resolve("groups/postgres.financialdb@acme/member.properties");
    assertThat(Files.readAllLines(file))
        .contains(
            "format=1",
            "member-id=member-1",
            "highest-term=7",
            "initialised=true",
            "initialised-term=5");
    assertThat(file.resolveSibling("member.properties.tmp")).doesNotExist();
  }

  @Test
  void savedRecordSurvivesReopen(@TempDir Path dir) {
    MemberRecord record = record(3, false, 0);
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, MemberRecord.fresh(MEMBER));
      store.save(GROUP, record);
    }
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      assertThat(store.load(GROUP)).contains(record);
    }
  }

  @Test
  void theVotingMembershipSurvivesReopenWithTheTerm(@TempDir Path dir) {
    ServiceGroup group = ServiceGroup.parse("db.main@acme");
    MemberRecord record =
        MemberRecord.fresh(MemberId.of("a"))
            .withTerm(Term.of(7))
            .withMembership(
                new MemberRecord.Membership(
                    6, 2, List.of(MemberId.of("a"), MemberId.of("b-0.b"), MemberId.of("c"))));
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(group, record);
    }
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      assertThat(store.load(group)).contains(record);
    }
  }

  @Test
  void aRecordWithoutMembershipLinesReadsAsNoMembership(@TempDir Path dir) throws IOException {
    ServiceGroup group = ServiceGroup.parse("db.main");
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(group, MemberRecord.fresh(MemberId.of("a")).withTerm(Term.of(3)));
    }
    Path file = dir.resolve("groups").resolve("db.main").resolve("member.properties");
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.startsWith("membership-") && !line.startsWith("voters=")) {
        kept.add(line);
      }
    }
    Files.write(file, kept, StandardCharsets.UTF_8);
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      MemberRecord back = store.load(group).orElseThrow();
      assertThat(back.highestTerm()).isEqualTo(Term.of(3));
      assertThat(back.membership()).isEqualTo(MemberRecord.Membership.NONE);
    }
  }

  @Test
  void termsNeverGoBack(@TempDir Path dir) {
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, record(5, false, 0));
      store.save(GROUP, record(5, true, 5));
      assertThatThrownBy(() -> store.save(GROUP, record(4, true, 5)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("never go back")
          .hasMessageContaining("term 5");
    }
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      assertThatThrownBy(() -> store.save(GROUP, record(4, true, 5)))
          .isInstanceOf(IllegalStateException.class);
      assertThat(store.load(GROUP)).contains(record(5, true, 5));
    }
  }

  @Test
  void corruptFileIsAnErrorNamingTheFileNotAReset(@TempDir Path dir) throws IOException {
    Path file;
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, record(9, false, 0));
      file = store.recordFile(GROUP);
    }
    Files.writeString(file, "format=1\nmember-id=member-1\nhighest-term=nine\n");
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      assertThatThrownBy(() -> store.load(GROUP))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("corrupt")
          .hasMessageContaining("'highest-term' is 'nine'")
          .hasMessageContaining("restore it from a backup");
      assertThatThrownBy(() -> store.save(GROUP, record(10, false, 0)))
          .isInstanceOf(HabitatException.class);
    }
    Files.writeString(file, "format=2\nmember-id=member-1\n");
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      assertThatThrownBy(() -> store.load(GROUP))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("format=2");
    }
    Files.write(file, new byte[] {(byte) 0xff, 0, 1});
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      assertThatThrownBy(() -> store.load(GROUP))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining(file.toString());
    }
  }

  @Test
  void secondOpenInTheSameJvmIsRefusedAndCloseReleasesTheLock(@TempDir Path dir) {
    FileLocalStore first = FileLocalStore.open(dir);
    try {
      assertThatThrownBy(() -> FileLocalStore.open(dir.resolve(".")))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining(first.directory().toString())
          .hasMessageContaining("PID " + ProcessHandle.current().pid())
          .hasMessageContaining("give each member its own data directory");
      first.save(GROUP, record(1, false, 0));
    } finally {
      first.close();
    }
    first.close();
    assertThatThrownBy(() -> first.load(GROUP)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> first.save(GROUP, record(2, false, 0)))
        .isInstanceOf(IllegalStateException.class);
    try (FileLocalStore again = FileLocalStore.open(dir)) {
      assertThat(again.load(GROUP)).contains(record(1, false, 0));
    }
  }

  @Test
  void lockHeldByAnotherProcessIsRefusedUntilItExits(@TempDir Path dir) throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                LockHolderMain.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
      assertThat(line).startsWith("locked");

      assertThatThrownBy(() -> FileLocalStore.open(dir))
          .isInstanceOf(HabitatException.class)
          .hasMessageContaining(dir.toRealPath().toString())
          .hasMessageContaining("another process (PID " + child.pid() + ")")
          .hasMessageContaining("give each member its own data directory, or stop the other");
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, record(1, false, 0));
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      String line = reader.readLine();
      return line == null ? "<end of output>" : line;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Random sequences of save, load and reopen over a few groups: load always returns the last
   * record saved, and a save that would lower the term is refused and changes nothing. The seed is
   * printed; {@code -Dhabitat.property.seed} replays it.
   */
  @Test
  void randomSequencesKeepTheLastSavedRecord(@TempDir Path dir) {
    long seed = Long.getLong("habitat.property.seed", System.nanoTime());
    int tries = Integer.getInteger("habitat.property.tries", 1000);
    System.out.println(
        "FileLocalStoreTest.randomSequencesKeepTheLastSavedRecord: seed="
            + seed
            + " tries="
            + tries
            + " (replay with -Dhabitat.property.seed="
            + seed
            + ")");
    Random random = new Random(seed);
    List<ServiceGroup> groups =
        List.of(ServiceGroup.of("redis"), ServiceGroup.parse("pg.main@org"), GROUP);
    // One directory for every try, as a member keeps one for its whole life; each try goes on
    // from where the last one left it.
    Path tryDir = dir.resolve("data");
    Map<ServiceGroup, MemberRecord> model = new HashMap<>();
    for (int attempt = 0; attempt < tries; attempt++) {
      FileLocalStore store = FileLocalStore.open(tryDir);
      try {
        int steps = 1 + random.nextInt(8);
        for (int step = 0; step < steps; step++) {
          ServiceGroup group = groups.get(random.nextInt(groups.size()));
          String where = "seed " + seed + ", try " + attempt + ", step " + step + ", " + group;
          int op = random.nextInt(4);
          if (op <= 1) {
            MemberRecord last = model.get(group);
            long lastTerm = last == null ? 0 : last.highestTerm().value();
            long term = Math.max(0, lastTerm + random.nextInt(4) - 1);
            MemberRecord next =
                new MemberRecord(
                    MemberId.of("m" + random.nextInt(3)),
                    Term.of(term),
                    random.nextBoolean(),
                    Term.of(random.nextInt((int) term + 1)));
            if (term < lastTerm) {
              FileLocalStore current = store;
              assertThatThrownBy(() -> current.save(group, next))
                  .as(where)
                  .isInstanceOf(IllegalStateException.class);
            } else {
              store.save(group, next);
              model.put(group, next);
            }
          } else if (op == 2) {
            assertThat(store.load(group))
                .as(where)
                .isEqualTo(Optional.ofNullable(model.get(group)));
          } else {
            store.close();
            store = FileLocalStore.open(tryDir);
          }
        }
      } finally {
        store.close();
      }
      try (FileLocalStore reopened = FileLocalStore.open(tryDir)) {
        for (ServiceGroup group : groups) {
          assertThat(reopened.load(group))
              .as("seed " + seed + ", try " + attempt + ", after reopen, " + group)
              .isEqualTo(Optional.ofNullable(model.get(group)));
        }
      }
    }
  }

  @Test
  void listsNothingButTheDocumentedFiles(@TempDir Path dir) throws IOException {
    try (FileLocalStore store = FileLocalStore.open(dir)) {
      store.save(GROUP, record(1, false, 0));
    }
    List<String> files = new ArrayList<>();
    try (var walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).forEach(f -> files.add(dir.relativize(f).toString()));
    }
    assertThat(files)
        .containsExactlyInAnyOrder(".lock", "groups/postgres.financialdb@acme/member.properties");
  }
}
