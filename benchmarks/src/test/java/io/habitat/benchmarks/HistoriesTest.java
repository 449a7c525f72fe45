package io.habitat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.benchmarks.Histories.Leader;
import io.habitat.test.process.ProcessEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The analysis of event histories, on histories written by hand. */
class HistoriesTest {

  private final Map<String, List<ProcessEvent>> histories = new LinkedHashMap<>();

  private void event(String member, String line) {
    histories
        .computeIfAbsent(member, m -> new ArrayList<>())
        .add(ProcessEvent.parse("@habitat " + line).orElseThrow());
  }

  private void census(String member, long at, String leader, long term, String alive) {
    event(
        member,
        at
            + " census leader="
            + leader
            + " term="
            + term
            + " members="
            + alive
            + " voters=m1,m2,m3 role=follower");
  }

  @Test
  void membersAgreeWhenEveryLatestCensusNamesTheSameElectedLeader() {
    census("m1", 100, "m3", 1, "m1,m2,m3");
    census("m2", 110, "m3", 1, "m1,m2,m3");
    event("m3", "105 elected term=1");
    census("m3", 106, "m3", 1, "m1,m2,m3");
    Leader leader = Histories.agreement(histories, 0, Set.of(), true).orElseThrow();
    assertThat(leader).isEqualTo(new Leader("m3", 1));
    assertThat(Histories.agreedAt(histories, leader, 0)).isEqualTo(110);
  }

  @Test
  void noAgreementWhileOneMemberNamesAnotherLeaderOrNone() {
    census("m1", 100, "m3", 1, "m1,m2,m3");
    census("m2", 110, "none", 1, "m1,m2,m3");
    event("m3", "105 elected term=1");
    census("m3", 106, "m3", 1, "m1,m2,m3");
    assertThat(Histories.agreement(histories, 0, Set.of(), false)).isEmpty();
    census("m2", 120, "m2", 2, "m1,m2,m3");
    assertThat(Histories.agreement(histories, 0, Set.of(), false)).isEmpty();
  }

  @Test
  void noAgreementBeforeTheLeaderReportedElected() {
    census("m1", 100, "m2", 2, "m1,m2");
    census("m2", 101, "m2", 2, "m1,m2");
    assertThat(Histories.agreement(histories, 1, Set.of("m3"), false)).isEmpty();
    event("m2", "102 elected term=2");
    assertThat(Histories.agreement(histories, 1, Set.of("m3"), false))
        .contains(new Leader("m2", 2));
  }

  @Test
  void anOldTermOrAnExcludedLeaderIsNoAgreement() {
    census("m1", 100, "m2", 2, "m1,m2");
    census("m2", 101, "m2", 2, "m1,m2");
    event("m2", "99 elected term=2");
    assertThat(Histories.agreement(histories, 2, Set.of(), false)).isEmpty();
    assertThat(Histories.agreement(histories, 1, Set.of("m2"), false)).isEmpty();
  }

  @Test
  void allAliveNeedsEveryMemberToCountEveryOtherAlive() {
    census("m1", 100, "m2", 2, "m1,m2");
    census("m2", 101, "m2", 2, "m2");
    event("m2", "99 elected term=2");
    assertThat(Histories.agreement(histories, 1, Set.of(), true)).isEmpty();
    census("m2", 150, "m2", 2, "m1,m2");
    assertThat(Histories.agreement(histories, 1, Set.of(), true)).contains(new Leader("m2", 2));
  }

  @Test
  void theAgreementTimeIsTheLastMembersFirstCensusNamingTheLeaderAfterTheStart() {
    census("m1", 50, "m3", 1, "m1,m2,m3"); // before the kill: not counted
    census("m1", 120, "none", 1, "m1,m2");
    census("m1", 180, "m2", 2, "m1,m2");
    census("m1", 190, "m2", 2, "m1"); // a later census naming it again does not count
    census("m2", 170, "m2", 2, "m1,m2");
    event("m2", "175 elected term=2");
    assertThat(Histories.agreedAt(histories, new Leader("m2", 2), 100)).isEqualTo(180);
  }

  @Test
  void theElectedEventCanBeTheLastStep() {
    census("m1", 160, "m2", 2, "m1,m2");
    census("m2", 161, "m2", 2, "m1,m2");
    event("m2", "200 elected term=2");
    assertThat(Histories.agreedAt(histories, new Leader("m2", 2), 100)).isEqualTo(200);
  }

  @Test
  void lastOfFirstsIsEmptyUntilEveryMemberHasOne() {
    event("m1", "10 view id=a:1 size=3 merge=false");
    event("m2", "5 view id=a:1 size=2 merge=false");
    Histories.EventTest threeMembers =
        e -> e.type().equals("view") && e.require("size").equals("3");
    assertThat(Histories.lastOfFirsts(histories.values(), 0, threeMembers)).isEmpty();
    event("m2", "30 view id=a:2 size=3 merge=false");
    assertThat(Histories.lastOfFirsts(histories.values(), 0, threeMembers)).hasValue(30);
  }

  @Test
  void theVotersAreThoseOfTheLatestCensus() {
    assertThat(Histories.votersInLatestCensus(List.of())).isEmpty();
    event("m1", "10 census leader=none term=0 members=m1 voters=none role=follower");
    event("m1", "20 census leader=m1 term=1 members=m1,m2 voters=m1,m2,m3 role=leader");
    assertThat(Histories.votersInLatestCensus(Objects.requireNonNull(histories.get("m1"))))
        .containsExactlyInAnyOrder("m1", "m2", "m3");
  }
}
