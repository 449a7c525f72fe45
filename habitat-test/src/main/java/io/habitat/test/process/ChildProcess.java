package io.habitat.test.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The child side of a {@link ProcessLauncher}: what a child JVM's {@code main} uses to report
 * events, take commands and make sure it never outlives its test.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   ChildProcess.onCommand("ping", id -> ChildProcess.event("pong", "id", id));
 *   ChildProcess.onClose(() -> supervisor.close());
 *   ChildProcess.install();
 *   ChildProcess.event("started", "pid", ProcessHandle.current().pid());
 *   ChildProcess.blockUntilExit();
 * }
 * }</pre>
 *
 * <p>{@link #install()} starts two daemon threads:
 *
 * <ul>
 *   <li>a watchdog that halts the JVM with {@link #EXIT_MAX_LIFETIME} once the process has lived
 *       for the max lifetime the launcher passed in {@link #MAX_LIFETIME_PROPERTY} (none when the
 *       property is absent, as when the main is run by hand);
 *   <li>a reader of standard input: the end of input means the parent died, and the JVM halts with
 *       {@link #EXIT_PARENT_GONE}; the line {@code close} runs the close action, then exits with 0
 *       (or 1 if the action threw); any other line {@code <command> [argument]} goes to the handler
 *       registered for the command.
 * </ul>
 *
 * <p>Handlers and the close action run one at a time on the reader thread, in the order the
 * commands arrive: a slow handler delays the commands after it. A handler that throws is reported
 * on stderr and the reader goes on. Register them before {@link #install()}: a command that arrives
 * before its handler is reported on stderr and dropped. All methods are thread-safe.
 */
public final class ChildProcess {

  /** The system property with the child's max lifetime in milliseconds, set by the launcher. */
  public static final String MAX_LIFETIME_PROPERTY = "habitat.process.max-lifetime-millis";

  /** The system property with the child's name, set by the launcher. */
  public static final String NAME_PROPERTY = "habitat.process.name";

  /** The command that asks the child to close gracefully. */
  public static final String CLOSE_COMMAND = "close";

  /** The exit code when the watchdog halts a child that outlived its max lifetime. */
  public static final int EXIT_MAX_LIFETIME = 124;

  /** The exit code when a child halts because its standard input ended (the parent died). */
  public static final int EXIT_PARENT_GONE = 125;

  private static final Pattern WORD = Pattern.compile("[^\\s=]+");
  private static final Pattern VALUE = Pattern.compile("\\S*");

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();
  private static final Map<String, Consumer<String>> HANDLERS = new ConcurrentHashMap<>();
  private static volatile Runnable closeAction = () -> {};
  private static final CountDownLatch NEVER = new CountDownLatch(1);

  private ChildProcess() {}

  /**
   * Starts the watchdog and the stdin reader (see the class comment). Idempotent: later calls do
   * nothing.
   */
  public static void install() {
    if (!INSTALLED.compareAndSet(false, true)) {
      return;
    }
    String lifetime = System.getProperty(MAX_LIFETIME_PROPERTY);
    if (lifetime != null) {
      Duration maxLifetime;
      try {
        maxLifetime = Duration.ofMillis(Long.parseLong(lifetime.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "system property "
                + MAX_LIFETIME_PROPERTY
                + " is '"
                + lifetime
                + "', expected a number of milliseconds",
            e);
      }
      Instant started = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
      Instant deadline = started.plus(maxLifetime);
      daemon("habitat-child-watchdog", () -> watchdog(deadline, maxLifetime)).start();
    }
    daemon("habitat-child-stdin", ChildProcess::readCommands).start();
  }

  /**
   * Registers the handler of a command; it receives the rest of the line after the command and a
   * space (empty if none). Replaces an earlier handler of the same command.
   *
   * @throws IllegalArgumentException if the command is not one word, or is {@code close}
   */
  public static void onCommand(String command, Consumer<String> handler) {
    Objects.requireNonNull(handler, "handler");
    if (!WORD.matcher(command).matches() || command.equals(CLOSE_COMMAND)) {
      throw new IllegalArgumentException(
          "command '"
              + command
              + "' is not allowed: use one word without '=', and register the close action with"
              + " onClose");
    }
    HANDLERS.put(command, handler);
  }

  /** Sets what runs on {@code close} before the JVM exits with 0; replaces an earlier action. */
  public static void onClose(Runnable action) {
    closeAction = Objects.requireNonNull(action, "action");
  }

  /**
   * Writes one event line {@code @habitat <wallMillis> <type> k=v ...} to standard output and
   * flushes it. The line is written whole, never interleaved with another event.
   *
   * @param keyValues alternating keys and values; values are written with {@link String#valueOf}
   * @throws IllegalArgumentException if the type or a key is not one word without {@code =}, a
   *     value contains whitespace, or a key has no value
   */
  public static void event(String type, Object... keyValues) {
    if (!WORD.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "event type '" + type + "' is not allowed: use one word without '='");
    }
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "event '" + type + "' has a key without a value: pass keys and values in pairs");
    }
    StringBuilder line =
        new StringBuilder(ProcessEvent.PREFIX)
            .append(' ')
            .append(System.currentTimeMillis())
            .append(' ')
            .append(type);
    for (int i = 0; i < keyValues.length; i += 2) {
      String key = String.valueOf(keyValues[i]);
      String value = String.valueOf(keyValues[i + 1]);
      if (!WORD.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "event '" + type + "' key '" + key + "' is not allowed: use one word without '='");
      }
      if (!VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "event '"
                + type
                + "' value of '"
                + key
                + "' contains whitespace: '"
                + value
                + "'; encode it (for example replace spaces with '_')");
      }
      line.append(' ').append(key).append('=').append(value);
    }
    PrintStream out = System.out;
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /**
   * Blocks the calling thread (typically {@code main}) until the JVM exits through {@code close},
   * the end of standard input or the watchdog. Returns only if the thread is interrupted (with its
   * interrupt flag set again).
   */
  public static void blockUntilExit() {
    try {
      NEVER.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void watchdog(Instant deadline, Duration maxLifetime) {
    try {
      Duration left = Duration.between(Instant.now(), deadline);
      while (!left.isNegative() && !left.isZero()) {
        Thread.sleep(Math.max(1, left.toMillis()));
        left = Duration.between(Instant.now(), deadline);
      }
    } catch (InterruptedException e) {
      return;
    }
    System.err.println(
        "habitat child process: max lifetime of "
            + maxLifetime
            + " exceeded, halting with exit code "
            + EXIT_MAX_LIFETIME);
    System.err.flush();
    Runtime.getRuntime().halt(EXIT_MAX_LIFETIME);
  }

  private static void readCommands() {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (true) {
      String line;
      try {
        line = in.readLine();
      } catch (IOException e) {
        line = null;
      }
      if (line == null) {
        System.err.println(
            "habitat child process: standard input ended (the parent is gone), halting with exit"
                + " code "
                + EXIT_PARENT_GONE);
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_PARENT_GONE);
        return;
      }
      String command = line.strip();
      if (command.isEmpty()) {
        continue;
      }
      if (command.equals(CLOSE_COMMAND)) {
        close();
        return;
      }
      int space = command.indexOf(' ');
      String name = space < 0 ? command : command.substring(0, space);
      String argument = space < 0 ? "" : command.substring(space + 1).strip();
      Consumer<String> handler = HANDLERS.get(name);
      if (handler == null) {
        System.err.println("habitat child process: no handler for command '" + command + "'");
        continue;
      }
      try {
        handler.accept(argument);
      } catch (RuntimeException e) {
        System.err.println("habitat child process: command '" + command + "' failed");
        e.printStackTrace();
      }
    }
  }

  private static void close() {
    int status = 0;
    try {
      closeAction.run();
    } catch (RuntimeException e) {
      System.err.println("habitat child process: the close action failed");
      e.printStackTrace();
      status = 1;
    }
    System.out.flush();
    System.exit(status);
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
