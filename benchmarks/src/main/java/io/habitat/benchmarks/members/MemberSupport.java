package io.habitat.benchmarks.members;

import io.habitat.test.process.ChildProcess;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * What every contender's member JVM shares: option parsing, the {@code stats} command and the CPU
 * time so far. Every member speaks the same events on standard output (through {@link
 * ChildProcess#event}, each line stamped with the member's wall clock):
 *
 * <ul>
 *   <li>{@code jvm cpu-ms=C} as {@code main} begins;
 *   <li>{@code ready} once the member has joined (its ring, or its ZooKeeper session and latch);
 *   <li>{@code leader id=NAME} whenever the member learns who leads ({@code none}: nobody);
 *   <li>{@code elected [term=T]}: the library's leadership callback in this member;
 *   <li>{@code revoked [term=T]}: the callback that this member no longer leads;
 *   <li>{@code stats heap-bytes=B threads=N}: the answer to the command {@code stats}, the heap in
 *       use right after a full collection and the JVM's live threads.
 * </ul>
 *
 * <p>Thread-safe; the {@code stats} command runs on the command reader thread of {@link
 * ChildProcess}, so it delays the commands after it by one collection.
 */
public final class MemberSupport {

  private MemberSupport() {}

  /** Reports {@code jvm}; call first in {@code main}. */
  public static void jvmStarted() {
    ChildProcess.event("jvm", "cpu-ms", cpuMillis());
  }

  /** Registers the {@code stats} command; call before {@link ChildProcess#install()}. */
  public static void installStatsCommand() {
    ChildProcess.onCommand("stats", argument -> reportStats());
  }

  /** Collects garbage, then reports {@code stats heap-bytes=B threads=N}. */
  public static void reportStats() {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    ChildProcess.event("stats", "heap-bytes", heap, "threads", threads);
  }

  /** The CPU time this JVM has used so far, all threads, or -1 where the OS does not say. */
  public static long cpuMillis() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
  }

  /**
   * Parses {@code --key value} pairs.
   *
   * @throws IllegalArgumentException naming the argument that is not an option or has no value
   */
  public static Map<String, String> options(String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option, got '" + args[i] + "'");
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
    return values;
  }

  /**
   * The value of a required option.
   *
   * @throws IllegalArgumentException if it is missing
   */
  public static String required(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null) {
      throw new IllegalArgumentException("option --" + key + " is required");
    }
    return value;
  }
}
