package io.habitat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  private final Report report = new Report(Contender.all());

  private void samples(String row, Contender c, long... values) {
    Measurement m = report.measurement(row, c, 5000);
    for (long v : values) {
      m.add(v);
    }
  }

  @Test
  void theBestPeerIsTheFastestContenderAtDefaultSettingsNeverATunedOne() {
    samples("kill-9", Contender.HABITAT, 30, 40, 50);
    samples("kill-9", Contender.JGROUPS, 2000, 2100, 2200);
    samples("kill-9", Contender.JGROUPS_TUNED, 200, 210, 220);
    samples("kill-9", Contender.CURATOR, 40000, 40100, 40200);
    samples("kill-9", Contender.JGROUPS_RAFT, 1500, 1600, 1700);
    assertThat(report.bestPeer("kill-9")).contains(Contender.JGROUPS_RAFT);
    assertThat(report.summaryLine("kill-9"))
        .isEqualTo(
            "benchmark: scenario=kill-9 habitat-median-ms=40 best-peer=jgroups-raft"
                + " best-peer-median-ms=1600 ratio=40.00");
  }

  @Test
  void aPeerWithoutTheEventWithinTheBoundIsShownAsAboveIt() {
    samples("kill-stop", Contender.HABITAT, 1300, 1400, 1500);
    for (Contender c : List.of(Contender.JGROUPS, Contender.CURATOR)) {
      Measurement m = report.measurement("kill-stop", c, 5000);
      m.addNone();
      m.addNone();
      m.addNone();
    }
    assertThat(report.summaryLine("kill-stop"))
        .isEqualTo(
            "benchmark: scenario=kill-stop habitat-median-ms=1400 best-peer=jgroups"
                + " best-peer-median-ms=>5000 ratio=>3.57");
  }

  @Test
  void theOldLeadersRevocationHasNoBestPeerForNobodyReplacedThePeersThatNeverRevoked() {
    samples("kill-stop-revoked", Contender.HABITAT, 6, 8, 14);
    report.measurement("kill-stop-revoked", Contender.JGROUPS, 5000).addNone();
    assertThat(report.bestPeer("kill-stop-revoked")).isEmpty();
    assertThat(report.ratio("kill-stop-revoked")).isEqualTo("-");
    assertThat(report.timedTable())
        .contains("| none in 5000 ms (1 of 1) |")
        .endsWith("| - | - |\n");
  }

  @Test
  void withoutPeersTheLineSaysSo() {
    samples("close", Contender.HABITAT, 30);
    assertThat(report.summaryLine("close"))
        .isEqualTo(
            "benchmark: scenario=close habitat-median-ms=30 best-peer=none"
                + " best-peer-median-ms=- ratio=-");
  }

  @Test
  void theTableHasAColumnPerContenderAndTheJsonIsWellFormed() {
    samples("start", Contender.HABITAT, 2000, 2500, 3000);
    samples("start", Contender.CURATOR, 1000, 1100, 1200);
    String table = report.timedTable();
    assertThat(table.lines().findFirst().orElseThrow())
        .isEqualTo(
            "| ms: min / median / max | habitat | jgroups | jgroups-tuned | curator | curator-5s |"
                + " jgroups-raft | best peer | ratio |");
    assertThat(table)
        .contains("| 2000 / 2500 / 3000 | - | - | 1000 / 1100 / 1200 | - | - | curator | 0.44 |");
    String json =
        report.json(
            Map.of("date", "d \"quoted\""),
            new MachineLoad.Reading(1000, 0.5, 1.0, "1 2 3", "4 5 6"),
            List.of("line"));
    assertThat(json)
        .startsWith("{\"date\":\"d \\\"quoted\\\"\",\"contenders\":[{\"id\":\"habitat\"")
        .contains("\"start\":{\"what\":")
        .contains("\"habitat\":{\"samplesMs\":[2000,2500,3000],\"noneWithinBound\":0")
        .endsWith("\"summary\":[\"line\"]}");
  }
}
