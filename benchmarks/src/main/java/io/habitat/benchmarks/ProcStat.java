package io.habitat.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Readings from Linux's {@code /proc}: the machine's busy CPU time, a process's CPU time and thread
 * count. Times are in clock ticks ({@link #TICKS_PER_SECOND}, 100 on Linux). Where {@code /proc} is
 * missing (not Linux) the readers return empty. The parsers are pure and thread-safe.
 */
final class ProcStat {

  /** {@code USER_HZ}: the unit of the times in {@code /proc}; 100 on every Linux architecture. */
  static final long TICKS_PER_SECOND = 100;

  private ProcStat() {}

  /**
   * The busy time of all CPUs from the first line of {@code /proc/stat}: user, nice, system, irq,
   * softirq and steal (idle and iowait are not busy; guest time is already in user).
   *
   * @throws IllegalArgumentException if the line is not the aggregate {@code cpu} line
   */
  static long busyTicks(String procStat) {
    String first = procStat.lines().findFirst().orElse("");
    String[] f = first.trim().split("\\s+", -1);
    if (f.length < 9 || !f[0].equals("cpu")) {
      throw new IllegalArgumentException("not the cpu line of /proc/stat: '" + first + "'");
    }
    long busy = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      busy += Long.parseLong(f[i]);
    }
    return busy;
  }

  /**
   * A process's CPU time from its {@code /proc/<pid>/stat}: utime + stime, and with {@code
   * children} also cutime + cstime (the CPU of the children it has waited for).
   */
  static long processTicks(String pidStat, boolean children) {
    // pid (comm) state ...: comm may contain spaces and parentheses, so count after the last ')'.
    int close = pidStat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: '" + pidStat + "'");
    }
    String[] f = pidStat.substring(close + 2).trim().split("\\s+", -1);
    // f[0] is field 3 (state); utime is field 14, stime 15, cutime 16, cstime 17.
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    if (children) {
      ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
    return ticks;
  }

  /** The {@code Threads:} line of {@code /proc/<pid>/status}. */
  static OptionalLong threads(String pidStatus) {
    return pidStatus
        .lines()
        .filter(l -> l.startsWith("Threads:"))
        .mapToLong(l -> Long.parseLong(l.substring("Threads:".length()).trim()))
        .findFirst();
  }

  /** The machine's busy ticks now, if {@code /proc/stat} is there. */
  static OptionalLong machineBusy() {
    return read(Path.of("/proc/stat")).map(s -> OptionalLong.of(busyTicks(s))).orElse(none());
  }

  /** A process's own CPU ticks now (children too for {@code self}), if it is still there. */
  static OptionalLong process(long pid, boolean children) {
    return read(Path.of("/proc", Long.toString(pid), "stat"))
        .map(s -> OptionalLong.of(processTicks(s, children)))
        .orElse(none());
  }

  /** This JVM's CPU ticks with those of the children it has reaped. */
  static OptionalLong selfWithChildren() {
    return process(ProcessHandle.current().pid(), true);
  }

  /** A process's OS threads, if it is still there. */
  static OptionalLong threads(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "status"))
        .map(ProcStat::threads)
        .orElse(none());
  }

  /** The first three fields of {@code /proc/loadavg}, or {@code unknown}. */
  static String loadAverage() {
    return read(Path.of("/proc/loadavg"))
        .map(
            s -> {
              String[] f = s.trim().split("\\s+", -1);
              return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
            })
        .orElse("unknown");
  }

  private static OptionalLong none() {
    return OptionalLong.empty();
  }

  private static java.util.Optional<String> read(Path file) {
    try {
      return java.util.Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }
}
