package io.habitat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.test.process.ProcessEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The analysis of the contenders' events, on histories written by hand. */
class TimelineTest {

  private final Map<String, List<ProcessEvent>> histories = new LinkedHashMap<>();

  private void event(String member, String line) {
    histories
        .computeIfAbsent(member, m -> new ArrayList<>())
        .add(ProcessEvent.parse("@habitat " + line).orElseThrow());
  }

  @Test
  void agreementNeedsEveryMemberToNameTheSameElectedMember() {
    histories.put("m3", new ArrayList<>());
    event("m1", "100 leader id=m1");
    event("m1", "101 elected term=2");
    event("m2", "150 leader id=m1");
    assertThat(Timeline.agreement(histories, 0)).isEmpty(); // m3 has said nothing
    event("m3", "120 leader id=none");
    assertThat(Timeline.agreement(histories, 0)).isEmpty();
    event("m3", "170 leader id=m1");
    assertThat(Timeline.agreement(histories, 0)).contains(new Timeline.Agreement("m1", 170));
  }

  @Test
  void theLeaderMustHaveReportedElectedSinceTheStart() {
    event("m1", "10 elected");
    event("m1", "100 leader id=m1");
    event("m2", "100 leader id=m1");
    assertThat(Timeline.agreement(histories, 50)).isEmpty();
    event("m1", "200 elected");
    assertThat(Timeline.agreement(histories, 50)).contains(new Timeline.Agreement("m1", 200));
  }

  @Test
  void aLeaderOutsideTheGivenMembersIsNoAgreement() {
    event("m1", "100 leader id=m3");
    event("m2", "100 leader id=m3");
    assertThat(Timeline.agreement(histories, 0)).isEmpty();
  }

  @Test
  void theFirstElectedAfterTheFaultIsTheEarliestOfAnySurvivor() {
    event("m1", "50 elected term=1");
    event("m1", "300 elected term=3");
    event("m2", "250 elected term=2");
    assertThat(Timeline.firstElected(histories.values(), 100)).hasValue(250);
    assertThat(Timeline.firstElected(histories.values(), 400)).isEmpty();
  }
}
