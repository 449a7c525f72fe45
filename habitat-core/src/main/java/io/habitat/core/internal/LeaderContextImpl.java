package io.habitat.core.internal;

import io.habitat.core.LeaderContext;
import io.habitat.core.Term;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/** The context of one term: lease check through the engine's published state. */
final class LeaderContextImpl implements LeaderContext {
  private final Term term;
  private final BooleanSupplier leading;
  private final CompletableFuture<Term> revocation = new CompletableFuture<>();

  LeaderContextImpl(Term term, BooleanSupplier leading) {
    this.term = term;
    this.leading = leading;
  }

  @Override
  public Term term() {
    return term;
  }

  @Override
  public boolean isLeader() {
    return !revocation.isDone() && leading.getAsBoolean();
  }

  @Override
  public boolean isRevoked() {
    return revocation.isDone();
  }

  @Override
  public CompletionStage<Term> revocation() {
    return revocation.minimalCompletionStage();
  }

  void revoke() {
    revocation.complete(term);
  }

  @Override
  public String toString() {
    return "LeaderContext[term=" + term + (isRevoked() ? ", revoked]" : "]");
  }
}
