package io.habitat.test.network;

import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceListener;
import io.habitat.core.Term;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Small queries over members of one ring, shared by the topology tests. */
final class Groups {
  private Groups() {}

  /**
   * The leader every member follows, once they all agree on it, on its term and on the voting
   * membership (which reaches followers just after the first election).
   */
  static Optional<MemberId> agreedLeader(List<InMemoryRing.Member> members) {
    Optional<MemberId> first = members.get(0).service().census().leaderId();
    Term term = members.get(0).service().census().term();
    List<MemberId> voters = members.get(0).service().census().voters();
    if (voters.isEmpty()) {
      return Optional.empty();
    }
    for (InMemoryRing.Member m : members) {
      if (!m.service().census().leaderId().equals(first)
          || !m.service().census().term().equals(term)
          || !m.service().census().voters().equals(voters)) {
        return Optional.empty();
      }
    }
    return first;
  }

  /** Whether every member follows {@code leader}, in one term and one voting membership. */
  static boolean allFollow(List<InMemoryRing.Member> members, String leader) {
    return agreedLeader(members).equals(Optional.of(MemberId.of(leader)));
  }

  /** Whether the stage has completed (normally or not). */
  static boolean done(CompletionStage<?> stage) {
    return stage.toCompletableFuture().isDone();
  }

  /** The member's id. */
  static MemberId id(InMemoryRing.Member m) {
    return m.service().memberId();
  }

  /** Records elected/revoked calls of one member, in order. */
  static final class Calls implements ServiceListener {
    final List<String> calls = new ArrayList<>();

    @Override
    public void elected(LeaderContext context) {
      calls.add("elected " + context.term());
    }

    @Override
    public void revoked(LeaderContext context) {
      calls.add("revoked " + context.term());
    }
  }
}
