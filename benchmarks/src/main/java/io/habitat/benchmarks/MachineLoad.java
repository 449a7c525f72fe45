package io.habitat.benchmarks;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * The machine's load over a stretch of the benchmark, without the benchmark's own: the busy CPU of
 * the whole machine ({@code /proc/stat}) minus this JVM's and that of the children it has reaped
 * (every member JVM, ZooKeeper server and {@code kill} command it started), as cores in use on
 * average. Children still running at the end are not subtracted; the benchmark reaps each ring
 * before it reads the end. Confined to one thread.
 */
final class MachineLoad {

  private final long startWall;
  private final OptionalLong startBusy;
  private final OptionalLong startOurs;
  private final String startLoadAverage;

  private MachineLoad(
      long startWall, OptionalLong startBusy, OptionalLong startOurs, String loadAverage) {
    this.startWall = startWall;
    this.startBusy = startBusy;
    this.startOurs = startOurs;
    this.startLoadAverage = loadAverage;
  }

  /** Starts a stretch now. */
  static MachineLoad start() {
    return new MachineLoad(
        System.currentTimeMillis(),
        ProcStat.machineBusy(),
        ProcStat.selfWithChildren(),
        ProcStat.loadAverage());
  }

  /** The stretch's figures up to now. */
  Reading read() {
    long wall = System.currentTimeMillis() - startWall;
    OptionalLong busy = ProcStat.machineBusy();
    OptionalLong ours = ProcStat.selfWithChildren();
    double others = -1;
    double benchmark = -1;
    if (busy.isPresent() && ours.isPresent() && startBusy.isPresent() && startOurs.isPresent()) {
      double seconds = Math.max(1, wall) / 1000.0;
      long oursTicks = ours.getAsLong() - startOurs.getAsLong();
      long othersTicks = busy.getAsLong() - startBusy.getAsLong() - oursTicks;
      others = Math.max(0, othersTicks) / (double) ProcStat.TICKS_PER_SECOND / seconds;
      benchmark = oursTicks / (double) ProcStat.TICKS_PER_SECOND / seconds;
    }
    return new Reading(wall, others, benchmark, startLoadAverage, ProcStat.loadAverage());
  }

  /**
   * One stretch's figures.
   *
   * @param wallMillis how long the stretch lasted
   * @param otherCores CPU cores other processes kept busy on average, or -1 where unknown
   * @param benchmarkCores CPU cores the benchmark and its children used on average, or -1
   * @param loadBefore the load averages (1, 5, 15 min) at the start
   * @param loadAfter the load averages at the end
   */
  record Reading(
      long wallMillis,
      double otherCores,
      double benchmarkCores,
      String loadBefore,
      String loadAfter) {

    /** For the report: "others 0.45 cores, benchmark 0.80 cores; load 1.2 0.9 0.8 -> ...". */
    String text() {
      String cores =
          otherCores < 0
              ? "CPU of other processes unknown (no /proc)"
              : String.format(
                  Locale.ROOT,
                  "other processes %.2f cores, the benchmark %.2f cores",
                  otherCores,
                  benchmarkCores);
      return String.format(
          Locale.ROOT,
          "%s over %d s; load average %s -> %s",
          cores,
          wallMillis / 1000,
          loadBefore,
          loadAfter);
    }
  }
}
