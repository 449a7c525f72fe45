package io.habitat.test.store;

import io.habitat.core.HabitatException;
import io.habitat.core.ServiceGroup;
import io.habitat.core.spi.MemberRecord;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The durable part of one simulated member: what its data directory would hold. Keep one per member
 * for the whole simulation and {@link #open()} a new {@link InMemoryLocalStore} on it for each
 * incarnation of the member, so the highest term and the initialised flag survive restarts and
 * crashes, as they do on disk.
 *
 * <p>Like a locked directory, it has at most one open store at a time. Not thread-safe: use it from
 * the thread that drives the simulation (the supervisors' virtual event loops run there).
 */
public final class InMemoryDataDirectory {

  private final String name;
  private final Map<String, MemberRecord> records = new TreeMap<>();
  private @Nullable InMemoryLocalStore open;

  /** An empty directory; the name appears in messages only. */
  public InMemoryDataDirectory(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The name given at construction. */
  public String name() {
    return name;
  }

  /**
   * Opens a store on this directory, holding its lock until the store is closed or {@link
   * #crashHolder()} is called.
   *
   * @throws HabitatException if a store on this directory is open
   */
  public InMemoryLocalStore open() {
    if (open != null) {
      throw new HabitatException(
          "in-memory data directory '"
              + name
              + "' is held by another store; close it (or call crashHolder() to model the death"
              + " of its process) before opening a new one");
    }
    InMemoryLocalStore store = new InMemoryLocalStore(this);
    open = store;
    return store;
  }

  /**
   * Models the death of the process that holds the directory: its store is closed without further
   * writes, the lock is released and a new store can be opened. Saved records stay. Does nothing
   * when no store is open.
   */
  public void crashHolder() {
    InMemoryLocalStore holder = open;
    if (holder != null) {
      holder.close();
    }
  }

  /** Whether a store holds the lock. */
  public boolean isLocked() {
    return open != null;
  }

  /** The record saved for the group, read directly (for invariant checks); no lock needed. */
  public Optional<MemberRecord> record(ServiceGroup group) {
    return Optional.ofNullable(records.get(group.toString()));
  }

  /** Every saved record by service group text, in group order. */
  public Map<String, MemberRecord> records() {
    return Collections.unmodifiableMap(new TreeMap<>(records));
  }

  // ---- for the store ----

  @Nullable MemberRecord get(ServiceGroup group) {
    return records.get(group.toString());
  }

  void put(ServiceGroup group, MemberRecord record) {
    records.put(group.toString(), record);
  }

  void closed(InMemoryLocalStore store) {
    if (open == store) {
      open = null;
    }
  }
}
