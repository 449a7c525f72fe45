package io.habitat.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@link Bench}.
 *
 * <pre>
 *   --reps N            runs per scenario and contender (default 5; at least 1)
 *   --quick             the fewest runs that still give a median (3) and a 15 s idle window
 *   --scenarios a,b     of kill-9, kill-stop, close, start, idle, messages, ring-100 (default all)
 *   --contenders a,b    of habitat, jgroups, jgroups-tuned, curator, curator-5s, jgroups-raft
 *                       (default all; habitat is always measured, it is what the others are
 *                       compared with)
 *   --idle SECONDS      the idle window (default 60, 15 with --quick)
 * </pre>
 *
 * @param reps runs per scenario and contender
 * @param scenarios the scenarios, in run order
 * @param contenders the contenders, habitat first
 * @param idle how long idle cost is measured
 * @param quick whether {@code --quick} was given
 */
record Options(
    int reps, List<String> scenarios, List<Contender> contenders, Duration idle, boolean quick) {

  /** The multi-JVM scenarios whose times are compared, in run order. */
  static final List<String> TIMED = List.of("kill-9", "kill-stop", "close", "start");

  /** Every scenario: the timed ones, idle cost, and the in-process ones. */
  static final List<String> SCENARIOS =
      List.of("kill-9", "kill-stop", "close", "start", "idle", "messages", "ring-100");

  static final String USAGE =
      "usage: Bench [--reps N] [--quick] [--scenarios "
          + String.join(",", SCENARIOS)
          + "] [--contenders "
          + String.join(",", Contender.all().stream().map(Contender::id).toList())
          + "] [--idle SECONDS]";

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException saying which option was wrong and what is accepted
   */
  static Options parse(String... args) {
    Integer reps = null;
    boolean quick = false;
    Integer idleSeconds = null;
    List<String> scenarios = SCENARIOS;
    List<Contender> contenders = Contender.all();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--quick")) {
        quick = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value; " + USAGE);
      }
      String value = args[++i];
      switch (option) {
        case "--reps" -> reps = positive(option, value);
        case "--idle" -> idleSeconds = positive(option, value);
        case "--scenarios" -> scenarios = scenarios(value);
        case "--contenders" -> contenders = contenders(value);
        default -> throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
      }
    }
    if (quick && reps != null) {
      throw new IllegalArgumentException(
          "--quick sets the runs to 3; give either --quick or --reps, not both");
    }
    int runs = quick ? 3 : reps == null ? 5 : reps;
    int idle = idleSeconds != null ? idleSeconds : quick ? 15 : 60;
    return new Options(runs, scenarios, contenders, Duration.ofSeconds(idle), quick);
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        option + " needs a whole number of at least 1, was '" + value + "'");
  }

  private static List<String> scenarios(String list) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String s : list.split(",", -1)) {
      String id = s.trim();
      if (!SCENARIOS.contains(id)) {
        throw new IllegalArgumentException(
            "unknown scenario '" + id + "': use " + String.join(",", SCENARIOS));
      }
      chosen.add(id);
    }
    List<String> ordered = new ArrayList<>();
    for (String s : SCENARIOS) {
      if (chosen.contains(s)) {
        ordered.add(s);
      }
    }
    return List.copyOf(ordered);
  }

  private static List<Contender> contenders(String list) {
    Set<Contender> chosen = new LinkedHashSet<>();
    chosen.add(Contender.HABITAT);
    for (String c : list.split(",", -1)) {
      chosen.add(Contender.parse(c));
    }
    List<Contender> ordered = new ArrayList<>();
    for (Contender c : Contender.all()) {
      if (chosen.contains(c)) {
        ordered.add(c);
      }
    }
    return List.copyOf(ordered);
  }

  /** Whether any multi-JVM scenario (timed or idle) is selected. */
  boolean anyProcessScenario() {
    return scenarios.stream().anyMatch(s -> TIMED.contains(s) || s.equals("idle"));
  }
}
