package io.habitat.test.network;

import static io.habitat.test.network.Groups.agreedLeader;
import static io.habitat.test.network.Groups.allFollow;
import static io.habitat.test.network.Groups.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.Census;
import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** An operator departs members for good (Habitat's {@code hab sup depart}). */
class DepartTest {

  private static final ServiceGroup DB = ServiceGroup.parse("db.main");

  private static ServiceConfig leader(long suitability) {
    return ServiceConfig.builder(DB).topology(Topology.LEADER).suitability(suitability).build();
  }

  private static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return cause == null ? e : cause;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    throw new AssertionError("the stage completed normally");
  }

  /** Completes with the first failure the member's service reports. */
  private static CompletableFuture<HabitatException> failures(InMemoryRing.Member m) {
    CompletableFuture<HabitatException> failed = new CompletableFuture<>();
    m.service()
        .addListener(
            new ServiceListener() {
              @Override
              public void failed(HabitatException error) {
                failed.complete(error);
              }
            });
    return failed;
  }

  private static MemberState state(Census census, String member) {
    return census.members().stream()
        .filter(m -> m.id().equals(MemberId.of(member)))
        .findFirst()
        .orElseThrow()
        .state();
  }

  @Test
  void aDeadMemberIsDepartedAtOnceAndARestartUnderItsIdIsTurnedAway() {
    try (InMemoryRing ring = InMemoryRing.create(71)) {
      InMemoryRing.Member a = ring.start("a", leader(1));
      InMemoryRing.Member b = ring.start("b", leader(3));
      InMemoryRing.Member c = ring.start("c", leader(2));
      ring.await("b leads all three", () -> allFollow(List.of(a, b, c), "b"));
      ring.await("all three vote", () -> b.service().census().voters().size() == 3);

      ring.crash(a);
      ring.await(
          "a is confirmed dead", () -> state(b.service().census(), "a") == MemberState.CONFIRMED);
      CompletionStage<Void> departed = c.service().depart(MemberId.of("a"));
      ring.await("the departure is sent", () -> done(departed));
      assertThat(departed.toCompletableFuture()).isCompletedWithValue(null);

      // The leader drops a from the voting membership now, not after the departure timeout.
      ring.await(
          "a no longer votes",
          () ->
              b.service().census().voters().equals(List.of(MemberId.of("b"), MemberId.of("c")))
                  && c.service().census().voters().equals(b.service().census().voters()));
      assertThat(state(b.service().census(), "a")).isEqualTo(MemberState.DEPARTED);
      assertThat(state(c.service().census(), "a")).isEqualTo(MemberState.DEPARTED);
      assertThat(b.service().isLeader()).isTrue();

      // a comes back under the same id: the group answers with the departure and a leaves.
      InMemoryRing.Member again = ring.restart(a, leader(1));
      CompletableFuture<HabitatException> turnedAway = failures(again);
      ring.await("the restarted a learns it departed", turnedAway::isDone);
      assertThat(turnedAway.join())
          .hasMessageContaining("departed")
          .hasMessageContaining("new member id");
      assertThat(state(again.service().census(), "a")).isEqualTo(MemberState.DEPARTED);
      assertThat(state(b.service().census(), "a")).isEqualTo(MemberState.DEPARTED);
      assertThat(b.service().census().voters()).doesNotContain(MemberId.of("a"));
      assertThat(b.service().isLeader()).isTrue();
    }
  }

  @Test
  void aLiveLeaderDepartedFromAFollowerHandsOverAndLeaves() {
    try (InMemoryRing ring = InMemoryRing.create(72)) {
      InMemoryRing.Member a = ring.start("a", leader(1));
      InMemoryRing.Member b = ring.start("b", leader(3));
      InMemoryRing.Member c = ring.start("c", leader(2));
      ring.await("b leads all three", () -> allFollow(List.of(a, b, c), "b"));
      Term first = b.service().census().term();
      CompletableFuture<HabitatException> bFailed = failures(b);

      a.service().depart(MemberId.of("b"));
      ring.await(
          "c leads a and c in a new term, without b",
          () ->
              allFollow(List.of(a, c), "c")
                  && c.service().census().term().isAfter(first)
                  && c.service()
                      .census()
                      .voters()
                      .equals(List.of(MemberId.of("a"), MemberId.of("c"))));
      ring.await("b heard it was departed", bFailed::isDone);
      assertThat(bFailed.join()).hasMessageContaining("departed");
      assertThat(b.service().isLeader()).isFalse();
      assertThat(state(a.service().census(), "b")).isEqualTo(MemberState.DEPARTED);
      assertThat(state(b.service().census(), "b")).isEqualTo(MemberState.DEPARTED);
    }
  }

  @Test
  void anUnknownMemberIsRefusedWithTheMembersNamedAndNothingSent() {
    try (InMemoryRing ring = InMemoryRing.create(73)) {
      InMemoryRing.Member a = ring.start("a", leader(1));
      InMemoryRing.Member b = ring.start("b", leader(3));
      InMemoryRing.Member c = ring.start("c", leader(2));
      List<InMemoryRing.Member> all = List.of(a, b, c);
      ring.await("b leads all three", () -> allFollow(all, "b"));
      long sent = a.supervisor().messagesSent().getOrDefault("depart", 0L);

      CompletionStage<Void> refused = a.service().depart(MemberId.of("x"));
      ring.await("refused", () -> done(refused));
      assertThat(failure(refused))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("member x is not in the census of db.main")
          .hasMessageContaining("a, b, c");
      assertThat(a.supervisor().messagesSent().getOrDefault("depart", 0L)).isEqualTo(sent);
      assertThat(agreedLeader(all)).contains(MemberId.of("b"));
      assertThat(b.service().census().voters()).hasSize(3);
    }
  }

  @Test
  void aMemberDepartsItself() {
    try (InMemoryRing ring = InMemoryRing.create(74)) {
      InMemoryRing.Member a = ring.start("a", leader(1));
      InMemoryRing.Member b = ring.start("b", leader(3));
      InMemoryRing.Member c = ring.start("c", leader(2));
      ring.await("b leads all three", () -> allFollow(List.of(a, b, c), "b"));

      a.service().depart(MemberId.of("a"));
      ring.await(
          "b and c vote without a",
          () -> b.service().census().voters().equals(List.of(MemberId.of("b"), MemberId.of("c"))));
      assertThat(state(b.service().census(), "a")).isEqualTo(MemberState.DEPARTED);
      assertThat(state(a.service().census(), "a")).isEqualTo(MemberState.DEPARTED);
      assertThat(b.service().isLeader()).isTrue();
    }
  }
}
