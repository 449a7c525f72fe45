package io.habitat.test.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs running {@link EchoMain}; each start costs about a second on a small machine. */
class ProcessLauncherTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String ECHO = EchoMain.class.getName();

  private final List<ProcessLauncher> launchers = new ArrayList<>();

  @AfterEach
  void closeLaunchers() {
    launchers.forEach(ProcessLauncher::close);
  }

  private ProcessLauncher launcher(ProcessLauncher.Builder builder) {
    ProcessLauncher launcher = builder.build();
    launchers.add(launcher);
    return launcher;
  }

  private static MemberProcess startEcho(ProcessLauncher launcher, String name) {
    MemberProcess process = launcher.start(name, ECHO, List.of());
    ProcessEvent started = process.awaitEvent("started", WAIT);
    assertThat(started.require("pid")).isEqualTo(Long.toString(process.pid()));
    assertThat(started.require("name")).isEqualTo(name);
    return process;
  }

  private static void assertAnswersPing(MemberProcess process, String id) {
    process.send("ping " + id);
    process.awaitEvent("pong", e -> e.require("id").equals(id), WAIT);
  }

  @Test
  void killedProcessExitsWhileTheOthersStillAnswer(@TempDir Path logs) {
    ProcessLauncher launcher = launcher(ProcessLauncher.builder().logDirectory(logs));
    MemberProcess a = launcher.start("a", ECHO, List.of());
    MemberProcess b = launcher.start("b", ECHO, List.of());
    MemberProcess c = launcher.start("c", ECHO, List.of());
    for (MemberProcess process : List.of(a, b, c)) {
      process.awaitEvent("started", WAIT);
    }

    b.kill();

    assertThat(b.isAlive()).isFalse();
    assertThat(b.exitCode()).hasValue(137);
    assertThat(ProcessHandle.of(b.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertAnswersPing(a, "1");
    assertAnswersPing(c, "2");
    assertThatThrownBy(() -> b.awaitEvent("pong", Duration.ofSeconds(5)))
        .isInstanceOf(ProcessTimeoutException.class)
        .hasMessageContaining("process b")
        .hasMessageContaining("exited (exit code 137)")
        .hasMessageContaining("@habitat");
    assertThat(launcher.processes()).containsExactly(a, b, c);
  }

  @Test
  void frozenProcessAnswersOnlyAfterResume(@TempDir Path logs) {
    ProcessLauncher launcher = launcher(ProcessLauncher.builder().logDirectory(logs));
    MemberProcess frozen = startEcho(launcher, "frozen");

    frozen.freeze();
    frozen.send("ping 1");

    assertThat(frozen.isFrozen()).isTrue();
    assertThatThrownBy(() -> frozen.awaitEvent("pong", e -> true, Duration.ofMillis(500)))
        .isInstanceOf(ProcessTimeoutException.class)
        .hasMessageContaining("process frozen")
        .hasMessageContaining("no matching event 'pong'")
        .hasMessageContaining("started pid=" + frozen.pid());
    assertThat(frozen.isAlive()).isTrue();

    frozen.resume();

    frozen.awaitEvent("pong", e -> e.require("id").equals("1"), WAIT);
    assertThat(frozen.isFrozen()).isFalse();
  }

  @Test
  void gracefulCloseRunsTheCloseActionAndExitsZero(@TempDir Path logs) {
    ProcessLauncher launcher = launcher(ProcessLauncher.builder().logDirectory(logs));
    MemberProcess process = startEcho(launcher, "graceful");

    int exitCode = process.closeGracefully(WAIT);

    assertThat(exitCode).isZero();
    assertThat(process.exitCode()).hasValue(0);
    process.awaitEvent("closing", WAIT);
  }

  @Test
  void terminatedProcessRunsItsShutdownHooksAndExits(@TempDir Path logs) {
    ProcessLauncher launcher = launcher(ProcessLauncher.builder().logDirectory(logs));
    MemberProcess process = startEcho(launcher, "terminated");

    process.terminate();

    assertThat(process.awaitExit(WAIT)).isEqualTo(143);
  }

  @Test
  void childHaltsItselfAfterItsMaxLifetime(@TempDir Path logs) throws Exception {
    ProcessLauncher launcher =
        launcher(ProcessLauncher.builder().logDirectory(logs).maxLifetime(Duration.ofSeconds(2)));
    MemberProcess process = startEcho(launcher, "short-lived");

    await().atMost(WAIT).until(() -> !process.isAlive());

    assertThat(process.exitCode()).hasValue(ChildProcess.EXIT_MAX_LIFETIME);
    assertThat(Files.readString(process.logFile())).contains("max lifetime");
  }

  @Test
  void closeReapsEveryChildFrozenOrNot(@TempDir Path logs) {
    ProcessLauncher launcher = ProcessLauncher.builder().logDirectory(logs).build();
    List<Long> pids = new ArrayList<>();
    try {
      MemberProcess running = startEcho(launcher, "running");
      MemberProcess frozen = startEcho(launcher, "frozen");
      frozen.freeze();
      pids.add(running.pid());
      pids.add(frozen.pid());
    } finally {
      launcher.close();
    }

    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid " + pid).isEmpty();
    }
    launcher.close();
    assertThatThrownBy(() -> launcher.start("late", ECHO, List.of()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void childHaltsWhenItsParentIsKilled(@TempDir Path logs) {
    ProcessLauncher launcher = launcher(ProcessLauncher.builder().logDirectory(logs));
    MemberProcess parent = launcher.start("parent", ParentMain.class.getName(), List.of());
    long grandchild = Long.parseLong(parent.awaitEvent("grandchild", WAIT).require("pid"));
    assertThat(ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive)).isPresent();

    parent.kill();

    await()
        .atMost(WAIT)
        .until(() -> ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive).isEmpty());
  }

  @Test
  void builderRejectsBadOptionsNamingThem() {
    assertThatThrownBy(() -> ProcessLauncher.builder().maxLifetime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLifetime");
    assertThatThrownBy(() -> ProcessLauncher.builder().addJvmOptions("Xmx1g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Xmx1g");
    assertThatThrownBy(() -> ProcessLauncher.builder().javaExecutable(Path.of("/no/such/java")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/no/such/java");
    assertThatThrownBy(() -> ProcessLauncher.builder().classpath(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ProcessLauncher.builder()
                    .maxLifetime(Duration.ofSeconds(1))
                    .maxLifetime(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxLifetime");
  }

  @Test
  void startRejectsBadAndDuplicateNames(@TempDir Path logs) {
    ProcessLauncher launcher = launcher(ProcessLauncher.builder().logDirectory(logs));
    assertThatThrownBy(() -> launcher.start("../escape", ECHO, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../escape");
    assertThatThrownBy(() -> launcher.start("ok", "not a class", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(launcher.processes()).isEmpty();
    MemberProcess first = launcher.start("twin", ECHO, List.of());
    assertThatThrownBy(() -> launcher.start("twin", ECHO, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'twin' was already started");
    assertThat(launcher.processes()).containsExactly(first);
  }
}
