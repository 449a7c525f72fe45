package io.habitat.test.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.Term;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FencedLogTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void acceptsEqualAndHigherTermsAndRecordsTheRejectionOfALowerOne(@TempDir Path dir) {
    Path file = dir.resolve("fenced.log");
    try (FencedLog log = FencedLog.open(file, "m1")) {
      assertThat(log.highestTerm()).isEqualTo(Term.ZERO);

      assertThat(log.append(Term.of(1)))
          .isEqualTo(new FencedLog.Append(true, 1, Term.of(1), Term.ZERO));
      assertThat(log.append(Term.of(1)).accepted()).isTrue();
      assertThat(log.append(Term.of(3)).accepted()).isTrue();
      FencedLog.Append stale = log.append(Term.of(2));

      assertThat(stale).isEqualTo(new FencedLog.Append(false, 4, Term.of(2), Term.of(3)));
      assertThat(log.highestTerm()).isEqualTo(Term.of(3));
      assertThat(log.accepted()).isEqualTo(3);
      assertThat(log.rejected()).isEqualTo(1);
    }
    assertThat(FencedLog.entries(file))
        .containsExactly(
            new FencedLog.Entry(1, "m1", 1),
            new FencedLog.Entry(1, "m1", 2),
            new FencedLog.Entry(3, "m1", 3));
    assertThat(FencedLog.rejections(file)).containsExactly(new FencedLog.Rejection(2, "m1", 4, 3));
    assertThat(FencedLog.rejectionsFile(file)).hasFileName("fenced.log.rejected");
  }

  @Test
  void aWriterOfAHigherTermFencesOffAnotherWriterOfTheSameJvm(@TempDir Path dir) {
    Path file = dir.resolve("fenced.log");
    try (FencedLog old = FencedLog.open(file, "old");
        FencedLog successor = FencedLog.open(file, "new")) {
      assertThat(old.append(Term.of(4)).accepted()).isTrue();
      assertThat(successor.append(Term.of(4)).accepted()).isTrue();
      assertThat(successor.append(Term.of(5)).accepted()).isTrue();

      FencedLog.Append stale = old.append(Term.of(4));

      assertThat(stale.accepted()).isFalse();
      assertThat(stale.highestTerm()).isEqualTo(Term.of(5));
      assertThat(old.highestTerm()).isEqualTo(Term.of(5));
    }
    assertThat(FencedLog.entries(file))
        .extracting(FencedLog.Entry::writer)
        .containsExactly("old", "new", "new");
    assertThat(FencedLog.rejections(file)).containsExactly(new FencedLog.Rejection(4, "old", 2, 5));
  }

  @Test
  void concurrentWritersOfOneJvmAreSerialisedAndTermsNeverGoBack(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("fenced.log");
    int perWriter = 300;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    try (FencedLog low = FencedLog.open(file, "low");
        FencedLog high = FencedLog.open(file, "high")) {
      // "low" stays at term 1; "high" starts at term 1 and moves to term 2 half-way.
      Future<?> lowDone =
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perWriter; i++) {
                  low.append(Term.of(1));
                }
                return null;
              });
      Future<?> highDone =
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perWriter; i++) {
                  high.append(Term.of(i < perWriter / 2 ? 1 : 2));
                }
                return null;
              });
      go.countDown();
      lowDone.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      highDone.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      List<FencedLog.Entry> entries = FencedLog.entries(file);
      List<FencedLog.Rejection> rejections = FencedLog.rejections(file);
      assertThat(entries).hasSize((int) (low.accepted() + high.accepted()));
      assertThat(rejections).hasSize((int) (low.rejected() + high.rejected()));
      assertThat(low.accepted() + low.rejected()).isEqualTo(perWriter);
      assertThat(high.accepted()).isEqualTo(perWriter);
      assertThat(high.rejected()).isZero();
      assertTermsNeverGoBack(entries);
      // Once a term-2 record is in the file, no term-1 record follows it...
      int firstOfTerm2 = indexOfFirstTerm(entries, 2);
      assertThat(firstOfTerm2).isNotNegative();
      assertThat(entries.subList(firstOfTerm2, entries.size()))
          .allSatisfy(e -> assertThat(e.term()).isEqualTo(2));
      // ...and every attempt of either writer is in the file or in the rejections, in order.
      assertSequencesComplete(entries, rejections, "low", perWriter);
      assertSequencesComplete(entries, rejections, "high", perWriter);
      assertThat(rejections).allSatisfy(r -> assertThat(r.highestTerm()).isGreaterThan(r.term()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTornLastLineIsIgnoredByReadersAndCutOffByTheNextAppend(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("fenced.log");
    try (FencedLog log = FencedLog.open(file, "m1")) {
      log.append(Term.of(1));
    }
    // A writer died in the middle of a record of a higher term.
    Files.writeString(file, "9 m2 1", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertThat(FencedLog.entries(file)).containsExactly(new FencedLog.Entry(1, "m1", 1));

    try (FencedLog log = FencedLog.open(file, "m3")) {
      assertThat(log.highestTerm()).isEqualTo(Term.of(1));
      assertThat(log.append(Term.of(2)).accepted()).isTrue();
    }
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("1 m1 1\n2 m3 1\n");
  }

  @Test
  void readersRejectAFileThatIsNotAFencedLog(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("other.txt");
    Files.writeString(file, "1 m1 1\nhello world\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FencedLog.entries(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("hello world");
    assertThat(FencedLog.entries(dir.resolve("missing.log"))).isEmpty();
    assertThat(FencedLog.rejections(dir.resolve("missing.log"))).isEmpty();
    assertThatThrownBy(() -> FencedLog.open(dir.resolve("x.log"), "two words"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClosedWriterRefusesToAppend(@TempDir Path dir) {
    FencedLog log = FencedLog.open(dir.resolve("fenced.log"), "m1");
    log.close();
    log.close();
    assertThatThrownBy(() -> log.append(Term.of(1))).isInstanceOf(IllegalStateException.class);
  }

  /**
   * A writer in another process is fenced off by a higher term written here, and its {@code kill
   * -9} in the middle of its appends leaves a log that reads whole and takes the next append.
   */
  @Test
  void aWriterProcessIsFencedOffAndItsCrashLeavesAWholeLog(@TempDir Path dir) {
    Path file = dir.resolve("fenced.log");
    try (ProcessLauncher launcher =
        ProcessLauncher.builder()
            .maxLifetime(Duration.ofMinutes(2))
            .logDirectory(dir.resolve("logs"))
            .build()) {
      MemberProcess child =
          launcher.start(
              "writer", FencedWriterMain.class.getName(), List.of(file.toString(), "child", "1"));
      child.awaitEvent("progress", e -> count(e, "accepted") >= 100, WAIT);

      try (FencedLog here = FencedLog.open(file, "parent")) {
        assertThat(here.append(Term.of(2)).accepted()).isTrue();
        ProcessEvent rejected = child.awaitEvent("rejected", WAIT);
        assertThat(rejected.require("highest")).isEqualTo("2");
        child.awaitEvent("progress", e -> count(e, "rejected") >= 100, WAIT);

        child.kill();

        // The dead child's lock is gone: this append does not wait, and its record is whole.
        assertThat(here.append(Term.of(2)).accepted()).isTrue();
      }

      List<FencedLog.Entry> entries = FencedLog.entries(file);
      List<FencedLog.Rejection> rejections = FencedLog.rejections(file);
      assertTermsNeverGoBack(entries);
      int fence = entries.indexOf(new FencedLog.Entry(2, "parent", 1));
      assertThat(fence).isPositive();
      assertThat(entries.subList(0, fence))
          .allSatisfy(e -> assertThat(e.writer()).isEqualTo("child"));
      assertThat(entries.subList(fence, entries.size()))
          .containsExactly(
              new FencedLog.Entry(2, "parent", 1), new FencedLog.Entry(2, "parent", 2));
      assertThat(rejections)
          .hasSizeGreaterThanOrEqualTo(100)
          .allSatisfy(
              r -> {
                assertThat(r.writer()).isEqualTo("child");
                assertThat(r.highestTerm()).isEqualTo(2);
              });
      long attempts = (long) fence + rejections.size();
      assertSequencesComplete(entries, rejections, "child", attempts);
    }
  }

  private static long count(ProcessEvent event, String key) {
    return Long.parseLong(event.require(key));
  }

  private static void assertTermsNeverGoBack(List<FencedLog.Entry> entries) {
    for (int i = 1; i < entries.size(); i++) {
      assertThat(entries.get(i).term())
          .as("term of record %d after %s", i, entries.get(i - 1))
          .isGreaterThanOrEqualTo(entries.get(i - 1).term());
    }
  }

  private static int indexOfFirstTerm(List<FencedLog.Entry> entries, long term) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).term() == term) {
        return i;
      }
    }
    return -1;
  }

  /** The writer's attempts, accepted or rejected, are numbered 1 to {@code attempts}. */
  private static void assertSequencesComplete(
      List<FencedLog.Entry> entries,
      List<FencedLog.Rejection> rejections,
      String writer,
      long attempts) {
    List<Long> sequences = new ArrayList<>();
    entries.stream()
        .filter(e -> e.writer().equals(writer))
        .forEach(e -> sequences.add(e.sequence()));
    rejections.stream()
        .filter(r -> r.writer().equals(writer))
        .forEach(r -> sequences.add(r.sequence()));
    sequences.sort(null);
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= attempts; s++) {
      expected.add(s);
    }
    assertThat(sequences).isEqualTo(expected);
  }
}
