package io.habitat.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The benchmark's results and how they are written: a markdown report, a JSON document and one
 * summary line per timed scenario. Filled by {@link Bench} on one thread, then formatted; the
 * formatting is pure.
 */
final class Report {

  /** The rows of the timed table, by key: what is measured from what to what. */
  static final Map<String, String> ROWS = rows();

  private static Map<String, String> rows() {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("kill-9", "kill-9: leader `kill -9` → first `elected` in a survivor");
    rows.put("kill-stop", "kill-stop: leader `kill -STOP` → first `elected` in a survivor");
    rows.put(
        "kill-stop-revoked",
        "kill-stop: `kill -CONT` (after 5 s or the new leader) → old leader `revoked`");
    rows.put("close", "close: leader closed gracefully → first `elected` in a survivor");
    rows.put("start", "start: 3 JVMs launched → all name one leader, which reported `elected`");
    return Map.copyOf(rows);
  }

  /**
   * The rows with a best peer and a ratio. Not the old leader's {@code revoked} after {@code kill
   * -CONT}: a leader nobody replaced has nothing to revoke, so "none" there is not slower.
   */
  static final List<String> COMPARED = List.of("kill-9", "kill-stop", "close", "start");

  /** What a row measures. */
  static String label(String row) {
    return ROWS.getOrDefault(row, row);
  }

  /** The order of {@link #ROWS}. */
  static final List<String> ROW_ORDER =
      List.of("kill-9", "kill-stop", "kill-stop-revoked", "close", "start");

  final List<Contender> contenders;
  final Map<String, Map<Contender, Measurement>> timed = new LinkedHashMap<>();
  final Map<Contender, IdleCost> idle = new LinkedHashMap<>();
  final Map<Contender, MachineLoad.Reading> loads = new LinkedHashMap<>();
  final List<InProcessElections.Failover> messages = new ArrayList<>();
  final List<InProcessElections.Failover> ring100 = new ArrayList<>();
  final Map<Contender, String> notes = new LinkedHashMap<>();
  final List<String> failures = new ArrayList<>();

  Report(List<Contender> contenders) {
    this.contenders = List.copyOf(contenders);
  }

  /** The measurement of a row and contender, created with the row's bound if new. */
  Measurement measurement(String row, Contender contender, long boundMillis) {
    return timed
        .computeIfAbsent(row, r -> new LinkedHashMap<>())
        .computeIfAbsent(contender, c -> new Measurement(boundMillis));
  }

  /** The measurement if one was recorded. */
  Optional<Measurement> find(String row, Contender contender) {
    Map<Contender, Measurement> byContender = timed.get(row);
    return byContender == null ? Optional.empty() : Optional.ofNullable(byContender.get(contender));
  }

  /**
   * The fastest contender at its default settings in a row: the smallest median, a median above the
   * bound counting as the bound plus one. Empty when no peer has a run.
   */
  Optional<Contender> bestPeer(String row) {
    if (!COMPARED.contains(row)) {
      return Optional.empty();
    }
    Contender best = null;
    long bestMedian = Long.MAX_VALUE;
    for (Contender c : contenders) {
      if (!c.peerAtDefaults()) {
        continue;
      }
      Optional<Measurement> m = find(row, c);
      if (m.isEmpty() || !m.get().hasMedian()) {
        continue;
      }
      long median = sortKey(m.get());
      if (median < bestMedian) {
        best = c;
        bestMedian = median;
      }
    }
    return Optional.ofNullable(best);
  }

  private static long sortKey(Measurement m) {
    OptionalLong median = m.median();
    return median.isPresent() ? median.getAsLong() : m.bound() + 1;
  }

  /**
   * The best peer's median over habitat's, as text ({@code >x} when a median is above its bound).
   */
  String ratio(String row) {
    Optional<Measurement> ours = find(row, Contender.HABITAT);
    Optional<Contender> peer = bestPeer(row);
    if (ours.isEmpty() || !ours.get().hasMedian() || peer.isEmpty()) {
      return "-";
    }
    Measurement theirs = find(row, peer.get()).orElseThrow();
    OptionalLong x = ours.get().median();
    OptionalLong y = theirs.median();
    if (x.isEmpty()) {
      return y.isPresent() ? "<" + format(y.getAsLong(), ours.get().bound()) : "?";
    }
    long over = Math.max(1, x.getAsLong());
    return y.isPresent() ? format(y.getAsLong(), over) : ">" + format(theirs.bound(), over);
  }

  private static String format(long y, long x) {
    return String.format(Locale.ROOT, "%.2f", y / (double) x);
  }

  /** The summary line of a timed scenario, as the last lines of the output carry them. */
  String summaryLine(String scenario) {
    Optional<Measurement> ours = find(scenario, Contender.HABITAT);
    Optional<Contender> peer = bestPeer(scenario);
    String x = ours.map(Measurement::medianText).orElse("-");
    String name = peer.map(Contender::id).orElse("none");
    String y = peer.flatMap(p -> find(scenario, p)).map(Measurement::medianText).orElse("-");
    return "benchmark: scenario="
        + scenario
        + " habitat-median-ms="
        + x
        + " best-peer="
        + name
        + " best-peer-median-ms="
        + y
        + " ratio="
        + ratio(scenario);
  }

  /**
   * The timed table: one row per measurement, one column per contender, then best peer and ratio.
   */
  String timedTable() {
    StringBuilder t = new StringBuilder();
    t.append("| ms: min / median / max |");
    for (Contender c : contenders) {
      t.append(' ').append(c.id()).append(" |");
    }
    t.append(" best peer | ratio |\n|---|");
    t.append("---|".repeat(contenders.size() + 2)).append('\n');
    for (String row : ROW_ORDER) {
      if (!timed.containsKey(row)) {
        continue;
      }
      t.append("| ").append(label(row)).append(" |");
      for (Contender c : contenders) {
        t.append(' ').append(find(row, c).map(Measurement::cell).orElse("-")).append(" |");
      }
      t.append(' ')
          .append(bestPeer(row).map(Contender::id).orElse("-"))
          .append(" | ")
          .append(ratio(row))
          .append(" |\n");
    }
    return t.toString();
  }

  /** The idle cost table, medians of the three members (min to max in brackets). */
  String idleTable() {
    if (idle.isEmpty()) {
      return "";
    }
    long seconds = idle.values().iterator().next().seconds();
    StringBuilder t = new StringBuilder();
    t.append("| idle, per member, over ")
        .append(seconds)
        .append(" s | CPU % of one core | heap after GC (MB) | JVM threads | OS threads |\n");
    t.append("|---|---|---|---|---|\n");
    for (IdleCost cost : idle.values()) {
      t.append("| ")
          .append(cost.contender().id())
          .append(" | ")
          .append(percent(cost.cpuPercent()))
          .append(" | ")
          .append(megabytes(cost.heapBytes()))
          .append(" | ")
          .append(counts(cost.jvmThreads()))
          .append(" | ")
          .append(counts(cost.osThreads()))
          .append(" |\n");
      if (!cost.server().cpuPercent().isEmpty()) {
        t.append("| … its ZooKeeper server (one JVM for all three) | ")
            .append(percent(cost.server().cpuPercent()))
            .append(" | ")
            .append(megabytes(cost.server().heapBytes()))
            .append(" | - | ")
            .append(counts(cost.server().osThreads()))
            .append(" |\n");
      }
    }
    return t.toString();
  }

  /** The in-process elections: messages per election and the 100-member ring. */
  String electionsTable() {
    if (messages.isEmpty() && ring100.isEmpty()) {
      return "";
    }
    StringBuilder t = new StringBuilder();
    t.append(
        "| habitat, in-memory ring, virtual time: leader crashed | runs | election messages"
            + " (median; min–max) | by type (median run) | → first `elected` (virtual ms) | → all"
            + " survivors agree (virtual ms) |\n");
    t.append("|---|---|---|---|---|---|\n");
    List<InProcessElections.Failover> all = new ArrayList<>(messages);
    all.addAll(ring100);
    Map<Integer, List<InProcessElections.Failover>> byMembers = new LinkedHashMap<>();
    for (InProcessElections.Failover f : all) {
      byMembers.computeIfAbsent(f.members(), n -> new ArrayList<>()).add(f);
    }
    byMembers.forEach(
        (n, runs) -> {
          List<InProcessElections.Failover> sorted = new ArrayList<>(runs);
          sorted.sort((a, b) -> Long.compare(a.electionMessages(), b.electionMessages()));
          InProcessElections.Failover median = sorted.get((sorted.size() - 1) / 2);
          t.append("| n = ")
              .append(n)
              .append(" | ")
              .append(runs.size())
              .append(" | ")
              .append(median.electionMessages())
              .append("; ")
              .append(sorted.get(0).electionMessages())
              .append("–")
              .append(sorted.get(sorted.size() - 1).electionMessages())
              .append(" | ")
              .append(median.breakdown())
              .append(" | ")
              .append(
                  medianOf(runs.stream().map(InProcessElections.Failover::electedMillis).toList()))
              .append(" | ")
              .append(
                  medianOf(runs.stream().map(InProcessElections.Failover::agreedMillis).toList()))
              .append(" |\n");
        });
    return t.toString();
  }

  /** The machine's load per contender and overall. */
  String loadLines(MachineLoad.Reading total) {
    StringBuilder t = new StringBuilder();
    loads.forEach(
        (c, reading) ->
            t.append("- ").append(c.id()).append(": ").append(reading.text()).append('\n'));
    t.append("- whole run: ").append(total.text()).append('\n');
    return t.toString();
  }

  private static String percent(List<Double> values) {
    if (values.isEmpty()) {
      return "-";
    }
    List<Double> s = new ArrayList<>(values);
    s.sort(Double::compare);
    double median = s.get((s.size() - 1) / 2);
    return s.size() == 1
        ? String.format(Locale.ROOT, "%.2f", median)
        : String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", median, s.get(0), s.get(s.size() - 1));
  }

  private static String megabytes(List<Long> bytes) {
    if (bytes.isEmpty()) {
      return "-";
    }
    List<Long> s = new ArrayList<>(bytes);
    s.sort(Long::compare);
    double median = s.get((s.size() - 1) / 2) / 1048576.0;
    return String.format(Locale.ROOT, "%.1f", median);
  }

  private static String counts(List<Long> values) {
    if (values.isEmpty()) {
      return "-";
    }
    return Long.toString(medianOf(values));
  }

  private static long medianOf(List<Long> values) {
    List<Long> s = new ArrayList<>(values);
    s.sort(Long::compare);
    return s.get((s.size() - 1) / 2);
  }

  // ---------------------------------------------------------------- JSON

  /** The whole report as JSON (figures only; the markdown has the prose). */
  String json(Map<String, String> header, MachineLoad.Reading total, List<String> summaryLines) {
    Json j = new Json();
    j.open('{');
    header.forEach(j::field);
    j.key("contenders").open('[');
    for (Contender c : contenders) {
      j.open('{')
          .field("id", c.id())
          .field("description", c.description())
          .field("peerAtDefaults", c.peerAtDefaults());
      if (notes.containsKey(c)) {
        j.field("note", notes.get(c));
      }
      MachineLoad.Reading load = loads.get(c);
      if (load != null) {
        j.key("load").reading(load);
      }
      j.close('}');
    }
    j.close(']');
    j.key("timed").open('{');
    for (String row : ROW_ORDER) {
      Map<Contender, Measurement> byContender = timed.get(row);
      if (byContender == null) {
        continue;
      }
      j.key(row).open('{').field("what", label(row)).key("contenders").open('{');
      byContender.forEach(
          (c, m) -> {
            j.key(c.id()).open('{').key("samplesMs").open('[');
            m.samples().forEach(j::value);
            j.close(']')
                .field("noneWithinBound", m.none())
                .field("boundMs", m.bound())
                .field("failed", m.failed())
                .field("median", m.medianText())
                .close('}');
          });
      j.close('}');
      j.field("bestPeer", bestPeer(row).map(Contender::id).orElse("none"))
          .field("ratio", ratio(row))
          .close('}');
    }
    j.close('}');
    j.key("idle").open('{');
    idle.forEach(
        (c, cost) -> {
          j.key(c.id()).open('{').field("seconds", cost.seconds());
          j.key("cpuPercent").open('[');
          cost.cpuPercent().forEach(j::value);
          j.close(']').key("heapBytes").open('[');
          cost.heapBytes().forEach(j::value);
          j.close(']').key("jvmThreads").open('[');
          cost.jvmThreads().forEach(j::value);
          j.close(']').key("osThreads").open('[');
          cost.osThreads().forEach(j::value);
          j.close(']');
          if (!cost.server().cpuPercent().isEmpty()) {
            j.key("zooKeeperServer").open('{').key("cpuPercent").open('[');
            cost.server().cpuPercent().forEach(j::value);
            j.close(']').key("heapBytes").open('[');
            cost.server().heapBytes().forEach(j::value);
            j.close(']').key("osThreads").open('[');
            cost.server().osThreads().forEach(j::value);
            j.close(']').close('}');
          }
          j.close('}');
        });
    j.close('}');
    j.key("elections").open('[');
    List<InProcessElections.Failover> all = new ArrayList<>(messages);
    all.addAll(ring100);
    for (InProcessElections.Failover f : all) {
      j.open('{')
          .field("members", f.members())
          .field("electionMessages", f.electionMessages())
          .field("electedVirtualMs", f.electedMillis())
          .field("agreedVirtualMs", f.agreedMillis())
          .key("messagesByType")
          .open('{');
      f.messages().forEach(j::field);
      j.close('}').close('}');
    }
    j.close(']');
    j.key("machineLoad").reading(total);
    j.key("failures").open('[');
    failures.forEach(j::value);
    j.close(']');
    j.key("summary").open('[');
    summaryLines.forEach(j::value);
    j.close(']');
    j.close('}');
    return j.toString();
  }

  /** A small JSON writer: commas and escapes, nothing else. */
  static final class Json {
    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    Json open(char bracket) {
      comma();
      out.append(bracket);
      needComma = false;
      return this;
    }

    Json close(char bracket) {
      out.append(bracket);
      needComma = true;
      return this;
    }

    Json key(String key) {
      comma();
      out.append(quote(key)).append(':');
      needComma = false;
      return this;
    }

    Json field(String key, Object value) {
      key(key);
      return value(value);
    }

    Json value(Object value) {
      comma();
      if (value instanceof Number || value instanceof Boolean) {
        out.append(value);
      } else {
        out.append(quote(String.valueOf(value)));
      }
      needComma = true;
      return this;
    }

    Json reading(MachineLoad.Reading r) {
      return open('{')
          .field("wallMs", r.wallMillis())
          .field("otherCores", r.otherCores())
          .field("benchmarkCores", r.benchmarkCores())
          .field("loadAverageBefore", r.loadBefore())
          .field("loadAverageAfter", r.loadAfter())
          .close('}');
    }

    private void comma() {
      if (needComma) {
        out.append(',');
      }
    }

    static String quote(String s) {
      StringBuilder q = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        switch (ch) {
          case '"' -> q.append("\\\"");
          case '\\' -> q.append("\\\\");
          case '\n' -> q.append("\\n");
          case '\r' -> q.append("\\r");
          case '\t' -> q.append("\\t");
          default -> {
            if (ch < 0x20) {
              q.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            } else {
              q.append(ch);
            }
          }
        }
      }
      return q.append('"').toString();
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }
}
