package io.habitat.test.store;

import io.habitat.core.ServiceGroup;
import io.habitat.core.spi.LocalStore;
import io.habitat.core.spi.MemberRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link LocalStore} on an {@link InMemoryDataDirectory}, with the contract of the data-directory
 * store: {@link #save} is durable when it returns (the record is in the directory, which outlives
 * this store), a record replaces the previous one whole, and {@link #close} releases the
 * directory's lock. Made by {@link InMemoryDataDirectory#open()}.
 *
 * <p>After {@link #close}, {@link #load} and {@link #save} throw {@link IllegalStateException}. Not
 * thread-safe: called from the supervisor's event loop, as every {@code LocalStore} is.
 */
public final class InMemoryLocalStore implements LocalStore {

  private final InMemoryDataDirectory directory;
  private boolean closed;

  InMemoryLocalStore(InMemoryDataDirectory directory) {
    this.directory = directory;
  }

  /** The directory this store reads and writes. */
  public InMemoryDataDirectory directory() {
    return directory;
  }

  @Override
  public Optional<MemberRecord> load(ServiceGroup group) {
    Objects.requireNonNull(group, "group");
    checkOpen();
    return Optional.ofNullable(directory.get(group));
  }

  @Override
  public void save(ServiceGroup group, MemberRecord record) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(record, "record");
    checkOpen();
    directory.put(group, record);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      directory.closed(this);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "store on in-memory data directory '" + directory.name() + "' is closed");
    }
  }
}
