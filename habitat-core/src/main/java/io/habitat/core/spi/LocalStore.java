package io.habitat.core.spi;

import io.habitat.core.ServiceGroup;
import java.util.Optional;

/**
 * A supervisor's durable local state: for each service group it runs, the record that must survive
 * a restart ({@link MemberRecord}). The production store is a locked data directory on disk ({@link
 * io.habitat.core.LocalStores#directory}); {@code habitat-test} has one in memory that survives
 * simulated restarts.
 *
 * <p>Called only from the supervisor's event loop. {@link #save} returns only once the record is
 * durable: after a crash, {@link #load} returns it or a later one, never an older one and never a
 * torn one.
 */
public interface LocalStore extends AutoCloseable {

  /** The record last saved for the group, if any. */
  Optional<MemberRecord> load(ServiceGroup group);

  /**
   * Saves the record durably, replacing the previous one.
   *
   * @throws io.habitat.core.HabitatException if it cannot be made durable
   */
  void save(ServiceGroup group, MemberRecord record);

  /** Releases the store (for a directory, its lock). Idempotent. */
  @Override
  void close();
}
