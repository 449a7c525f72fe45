package io.habitat.test.process;

import io.habitat.core.HabitatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * One child JVM started by a {@link ProcessLauncher}: its output, its events, and the ways to end
 * it (crash, hang, terminate, graceful close).
 *
 * <p>A daemon thread reads the child's stdout: every line is kept as an {@link OutputLine} with the
 * parent's receive time, and every event line becomes a {@link ProcessEvent}. Everything is kept
 * for the life of the object. The child's stderr goes to {@link #logFile()}.
 *
 * <p>Signals go only to this child's PID, and only while it is alive (a PID is never signalled
 * after the child was seen to exit). {@link #freeze()}, {@link #resume()} run the POSIX {@code
 * kill} command with the numeric PID, as does {@link #terminate()}.
 *
 * <p>Thread-safe. {@link #awaitEvent}, {@link #awaitExit}, {@link #kill()} and {@link
 * #closeGracefully} block the caller; the others return at once (the external {@code kill} command
 * runs to completion first).
 */
public final class MemberProcess {

  private static final int TAIL_LINES = 20;
  private static final Duration KILL_WAIT = Duration.ofSeconds(30);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final OutputStream stdin;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<OutputLine> lines = new ArrayList<>();
  private final List<ProcessEvent> events = new ArrayList<>();
  private boolean outputEnded;
  private boolean frozen;

  MemberProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::readOutput, "habitat-process-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** The name given at start. */
  public String name() {
    return name;
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** The file the child's stderr goes to. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the child is still running (a frozen child is running). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code once the child has exited; empty while it runs. */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** A snapshot of every line the child wrote to stdout so far, oldest first. */
  public List<OutputLine> lines() {
    lock.lock();
    try {
      return List.copyOf(lines);
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot of every event the child reported so far, oldest first. */
  public List<ProcessEvent> events() {
    lock.lock();
    try {
      return List.copyOf(events);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blocks until the child has reported an event of the type that matches the condition, already
   * received or still to come, and returns the first such event.
   *
   * @throws ProcessTimeoutException if none arrives within the timeout, or the child's output ends
   *     (it exited) without one; the message names the process and shows its last 20 lines
   */
  public ProcessEvent awaitEvent(String type, Predicate<ProcessEvent> condition, Duration timeout) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(condition, "condition");
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      int checked = 0;
      while (true) {
        for (; checked < events.size(); checked++) {
          ProcessEvent event = events.get(checked);
          if (event.type().equals(type) && condition.test(event)) {
            return event;
          }
        }
        if (outputEnded) {
          throw failure("exited (exit code " + exitText() + ") before event '" + type + "'");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw failure("sent no matching event '" + type + "' within " + timeout);
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("was awaited for event '" + type + "' by a thread that was interrupted");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blocks until the child has reported more than {@code seen} events, its output ended, or the
   * timeout passed, whichever comes first; for callers that watch several children at once.
   *
   * @return whether more than {@code seen} events have arrived
   */
  public boolean awaitMoreEvents(int seen, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (events.size() <= seen && !outputEnded) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return events.size() > seen;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return events.size() > seen;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blocks until the child reports an event of the type; see {@link #awaitEvent(String, Predicate,
   * Duration)}.
   */
  public ProcessEvent awaitEvent(String type, Duration timeout) {
    return awaitEvent(type, event -> true, timeout);
  }

  /**
   * Blocks until the child has exited and returns its exit code.
   *
   * @throws ProcessTimeoutException if it still runs after the timeout
   */
  public int awaitExit(Duration timeout) {
    try {
      if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("was awaited for its exit by a thread that was interrupted");
    }
    throw failure("did not exit within " + timeout);
  }

  /**
   * Writes one command line to the child's stdin (see {@link ChildProcess}) and flushes it.
   *
   * @throws IllegalArgumentException if the command contains a line break
   * @throws HabitatException if the child's stdin is closed (it exited)
   */
  public void send(String command) {
    if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("command must be one line: '" + command + "'");
    }
    synchronized (stdin) {
      try {
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
      } catch (IOException e) {
        throw new HabitatException(
            "cannot send '" + command + "' to process " + name + " (exit code " + exitText() + ")",
            e);
      }
    }
  }

  /** Crashes the child ({@code SIGKILL}, like {@code kill -9}) and blocks until it has exited. */
  public void kill() {
    process.destroyForcibly();
    waitForExitAfterKill();
    setFrozen(false);
  }

  /**
   * Asks the child to terminate ({@code kill -TERM <pid>}): the JVM runs its shutdown hooks and
   * exits (with 143). Does not wait; see {@link #awaitExit}. A frozen child terminates once
   * resumed. (Unlike {@link Process#destroy()}, this leaves the child's stdin open, so the child
   * does not also see its parent go.)
   *
   * @throws IllegalStateException if the child is not alive
   */
  public void terminate() {
    signal("TERM");
  }

  /**
   * Hangs the child ({@code kill -STOP <pid>}), as a long GC pause or a stopped VM would: it keeps
   * its sockets but runs nothing until {@link #resume()}.
   *
   * @throws IllegalStateException if the child is not alive
   */
  public void freeze() {
    lock.lock();
    try {
      signal("STOP");
      frozen = true;
      awaitStopped(true);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Resumes a frozen child ({@code kill -CONT <pid>}).
   *
   * @throws IllegalStateException if the child is not alive
   */
  public void resume() {
    lock.lock();
    try {
      signal("CONT");
      frozen = false;
      awaitStopped(false);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A signal is delivered asynchronously: {@code kill} returns before every thread of the child has
   * stopped (or resumed). Where {@code /proc} exists, wait (at most 2 s) until the kernel reports
   * the child's state, so that nothing the caller does next reaches a child still running.
   */
  private void awaitStopped(boolean stopped) {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    if (!Files.isReadable(stat)) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() - deadline < 0 && process.isAlive()) {
      try {
        String text = Files.readString(stat, StandardCharsets.UTF_8);
        // pid (comm) state ...: comm may contain spaces, so read after the last ')'.
        int close = text.lastIndexOf(')');
        char state = close >= 0 && close + 2 < text.length() ? text.charAt(close + 2) : '?';
        if ((state == 'T' || state == 't') == stopped) {
          return;
        }
      } catch (IOException e) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** Whether {@link #freeze()} was called and not yet undone by {@link #resume()} or a kill. */
  public boolean isFrozen() {
    lock.lock();
    try {
      return frozen;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the child gracefully: resumes it if frozen, writes {@code close} to its stdin (its
   * {@link ChildProcess#onClose} action runs, then it exits), and blocks until it exits. If it has
   * not exited within the timeout it is killed.
   *
   * @return the exit code (0 after a clean close; {@code 137} or similar if it had to be killed)
   */
  public int closeGracefully(Duration timeout) {
    if (process.isAlive()) {
      if (isFrozen()) {
        resume();
      }
      try {
        send(ChildProcess.CLOSE_COMMAND);
      } catch (HabitatException e) {
        // it exited meanwhile; the wait below returns at once
      }
    }
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
    return process.exitValue();
  }

  /** Resumes the child if frozen, kills it if alive, and waits for its exit. For the launcher. */
  void reap() {
    if (isFrozen() && process.isAlive()) {
      try {
        resume();
      } catch (RuntimeException e) {
        // SIGKILL below ends a stopped process too
      }
    }
    if (process.isAlive()) {
      process.destroyForcibly();
      waitForExitAfterKill();
    }
    setFrozen(false);
    try {
      stdin.close();
    } catch (IOException e) {
      // the child is gone; nothing reads its stdin any more
    }
  }

  @Override
  public String toString() {
    return "MemberProcess[" + name + ", pid " + pid() + (process.isAlive() ? "]" : ", exited]");
  }

  private void signal(String signal) {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "cannot send SIG" + signal + " to process " + name + ": it exited (" + exitText() + ")");
    }
    String pid = Long.toString(process.pid());
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, pid).redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = kill.waitFor();
      if (status != 0) {
        throw new HabitatException(
            "kill -" + signal + " " + pid + " (process " + name + ") failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new HabitatException(
          "cannot run 'kill -"
              + signal
              + " "
              + pid
              + "': a POSIX kill command is needed on the PATH",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HabitatException("interrupted while sending SIG" + signal + " to " + name, e);
    }
  }

  private void setFrozen(boolean value) {
    lock.lock();
    try {
      frozen = value;
    } finally {
      lock.unlock();
    }
  }

  private void waitForExitAfterKill() {
    boolean interrupted = false;
    long deadline = System.nanoTime() + KILL_WAIT.toNanos();
    while (process.isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new HabitatException(
            "process "
                + name
                + " (pid "
                + pid()
                + ") did not exit within "
                + KILL_WAIT
                + " of SIGKILL");
      }
      try {
        process.waitFor(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void readOutput() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        OutputLine received = new OutputLine(System.currentTimeMillis(), line);
        ProcessEvent event = ProcessEvent.parse(line).orElse(null);
        lock.lock();
        try {
          lines.add(received);
          if (event != null) {
            events.add(event);
          }
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    } catch (IOException e) {
      // the stream closes when the child is killed; its end is recorded below
    } finally {
      lock.lock();
      try {
        outputEnded = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private String exitText() {
    OptionalInt code = exitCode();
    if (code.isPresent()) {
      return Integer.toString(code.getAsInt());
    }
    // the output ends just before the exit is seen; give the exit a moment to be recorded
    try {
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        return Integer.toString(process.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "none yet, still running";
  }

  private ProcessTimeoutException failure(String what) {
    StringBuilder message =
        new StringBuilder("process ")
            .append(name)
            .append(" (pid ")
            .append(pid())
            .append(") ")
            .append(what)
            .append("; stderr in ")
            .append(logFile)
            .append("; last lines of its output:");
    List<OutputLine> all = lines();
    List<OutputLine> tail = all.subList(Math.max(0, all.size() - TAIL_LINES), all.size());
    if (tail.isEmpty()) {
      message.append(" (none)");
    }
    for (OutputLine line : tail) {
      message.append("\n  ").append(line.text());
    }
    return new ProcessTimeoutException(message.toString());
  }
}
