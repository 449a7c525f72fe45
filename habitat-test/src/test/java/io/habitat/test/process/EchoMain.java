package io.habitat.test.process;

/**
 * A tiny child for the launcher's tests: reports {@code started pid=<pid>}, answers {@code ping
 * <id>} with {@code pong id=<id>}, and reports {@code closing} from its close action.
 */
public final class EchoMain {
  private EchoMain() {}

  public static void main(String[] args) {
    ChildProcess.onCommand("ping", id -> ChildProcess.event("pong", "id", id));
    ChildProcess.onClose(() -> ChildProcess.event("closing"));
    ChildProcess.install();
    ChildProcess.event(
        "started",
        "pid",
        ProcessHandle.current().pid(),
        "name",
        System.getProperty(ChildProcess.NAME_PROPERTY, "unnamed"));
    ChildProcess.blockUntilExit();
  }
}
