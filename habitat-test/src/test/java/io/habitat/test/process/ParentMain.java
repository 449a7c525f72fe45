package io.habitat.test.process;

import java.time.Duration;
import java.util.List;

/**
 * A child that is itself a parent: starts an {@link EchoMain} grandchild with its own launcher and
 * reports {@code grandchild pid=<pid>}. It never closes that launcher, so when it is killed the
 * grandchild learns of it only from the end of its standard input.
 */
public final class ParentMain {
  private ParentMain() {}

  public static void main(String[] args) {
    ChildProcess.install();
    ProcessLauncher launcher =
        ProcessLauncher.builder().maxLifetime(Duration.ofSeconds(60)).build();
    MemberProcess grandchild = launcher.start("grandchild", EchoMain.class.getName(), List.of());
    grandchild.awaitEvent("started", Duration.ofSeconds(60));
    ChildProcess.event("grandchild", "pid", grandchild.pid());
    ChildProcess.blockUntilExit();
  }
}
