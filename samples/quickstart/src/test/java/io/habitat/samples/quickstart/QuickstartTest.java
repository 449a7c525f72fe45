package io.habitat.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's main job: the scripted quickstart ends with its one-line summary after the followers
 * were reconfigured for the new leader, and the interactive one takes commands; both stop every
 * member JVM they started. Safety and output only: no assertion on how long anything takes.
 */
class QuickstartTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern STARTED = Pattern.compile("started (m\\d) \\(pid (\\d+)\\)");

  /** A PrintStream whose text can be read while another thread writes it. */
  private static final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      synchronized (stream) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private static List<Long> startedPids(String output) {
    List<Long> pids = new ArrayList<>();
    Matcher m = STARTED.matcher(output);
    while (m.find()) {
      pids.add(Long.parseLong(m.group(2)));
    }
    return pids;
  }

  private static void assertAllStopped(String output) {
    List<Long> pids = startedPids(output);
    assertThat(pids).isNotEmpty();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("member process %d is stopped", pid)
          .isFalse();
    }
  }

  @Test
  void theScriptedRunShowsTheFailoverAndTheReconfigurationAndEndsWithItsLine() throws Exception {
    Output out = new Output();
    Quickstart.Outcome outcome = Quickstart.run(out.stream, false);
    String text = out.text();

    assertThat(outcome.line())
        .matches("quickstart: members=3 failover-ms=\\d+ leader=m[1-3] term=[2-9]\\d*");
    assertThat(text)
        .contains("== all 3 members follow")
        .contains("applied group config version 1")
        .contains("kill -9 ")
        .contains("reconfigured: follows " + outcome.leader() + " at 127.0.0.1:")
        .contains("member pid      role      term  health   exports")
        .containsPattern("m\\d\\s+\\d+\\s+down");
    // Every survivor's table row shows the new leader as leader or as the member it follows.
    assertThat(text)
        .containsPattern(
            outcome.leader()
                + "\\s+\\d+\\s+leader\\s+"
                + outcome.term()
                + "\\s+OK\\s+host=127.0.0.1,port=\\d+");
    assertAllStopped(text);
  }

  @Test
  void theInteractiveRunTakesCommandsFromTheKeyboard() throws Exception {
    Output out = new Output();
    PipedInputStream keyboard = new PipedInputStream();
    OutputStream keys = new PipedOutputStream(keyboard);
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<?> run =
          runner.submit(
              () -> {
                Quickstart.interactive(keyboard, out.stream, true);
                return null;
              });
      await().atMost(WAIT).until(() -> out.text().contains("elected: leads term 1"));
      // With the gateway option each member serves its dashboard.
      await()
          .atMost(WAIT)
          .until(() -> out.text().split("dashboard: http://127.0.0.1:").length == 4);
      assertThat(out.text()).contains("Welcome to the Habitat quickstart").contains("yield");

      type(keys, "bogus");
      await().atMost(WAIT).until(() -> out.text().contains("! unknown command 'bogus'; type help"));
      type(keys, "kill m9");
      await().atMost(WAIT).until(() -> out.text().contains("! no running member named 'm9'"));

      type(keys, "yield");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  out.text().contains("revoked: no longer leads term 1")
                      && out.text().contains("elected: leads term 2"));

      type(keys, "quit");
      run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(out.text()).contains("stopping every member");
      assertAllStopped(out.text());
    } finally {
      keys.close();
      runner.shutdownNow();
    }
  }

  private static void type(OutputStream keys, String line) throws IOException {
    keys.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }
}
