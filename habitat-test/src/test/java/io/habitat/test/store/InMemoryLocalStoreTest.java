package io.habitat.test.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.HabitatException;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Term;
import io.habitat.core.spi.LocalStore;
import io.habitat.core.spi.MemberRecord;
import org.junit.jupiter.api.Test;

class InMemoryLocalStoreTest {

  private static final ServiceGroup REDIS = ServiceGroup.of("redis");
  private static final ServiceGroup PG = ServiceGroup.of("postgres", "financialdb");

  @Test
  void aNewDirectoryHasNoRecord() {
    try (LocalStore store = new InMemoryDataDirectory("m1").open()) {
      assertThat(store.load(REDIS)).isEmpty();
    }
  }

  @Test
  void aSavedRecordReplacesThePreviousOneAndIsKeptPerGroup() {
    try (LocalStore store = new InMemoryDataDirectory("m1").open()) {
      MemberRecord fresh = MemberRecord.fresh(memberId());
      store.save(REDIS, fresh);
      store.save(REDIS, fresh.withTerm(Term.ZERO.next()));
      assertThat(store.load(REDIS)).contains(fresh.withTerm(Term.ZERO.next()));
      assertThat(store.load(PG)).isEmpty();
    }
  }

  @Test
  void recordsSurviveARestartAndACrash() {
    InMemoryDataDirectory dir = new InMemoryDataDirectory("m1");
    MemberRecord record = MemberRecord.fresh(memberId()).withTerm(Term.ZERO.next().next());
    try (LocalStore first = dir.open()) {
      first.save(REDIS, record);
    }
    try (LocalStore second = dir.open()) {
      assertThat(second.load(REDIS)).contains(record);
      second.save(PG, record);
      dir.crashHolder();
      assertThatThrownBy(() -> second.save(PG, record)).isInstanceOf(IllegalStateException.class);
    }
    try (LocalStore third = dir.open()) {
      assertThat(third.load(PG)).contains(record);
      assertThat(dir.records()).containsOnlyKeys(REDIS.toString(), PG.toString());
    }
  }

  @Test
  void aDirectoryIsLockedWhileAStoreIsOpen() {
    InMemoryDataDirectory dir = new InMemoryDataDirectory("m1");
    LocalStore store = dir.open();
    assertThat(dir.isLocked()).isTrue();
    assertThatThrownBy(dir::open)
        .isInstanceOf(HabitatException.class)
        .hasMessageContaining("'m1'")
        .hasMessageContaining("held by another store");
    store.close();
    store.close();
    assertThat(dir.isLocked()).isFalse();
    dir.open().close();
  }

  @Test
  void aClosedStoreRefusesReadsAndWrites() {
    LocalStore store = new InMemoryDataDirectory("m1").open();
    store.close();
    assertThatThrownBy(() -> store.load(REDIS)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.save(REDIS, MemberRecord.fresh(memberId())))
        .isInstanceOf(IllegalStateException.class);
  }

  private static MemberId memberId() {
    return MemberId.of("member-1");
  }
}
